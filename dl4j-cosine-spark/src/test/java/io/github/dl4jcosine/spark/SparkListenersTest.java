package io.github.dl4jcosine.spark;

import io.github.dl4jcosine.listener.LearningRateListener;
import io.github.dl4jcosine.check.ScheduleCheck;
import io.github.dl4jcosine.check.ScheduleCheckListener;
import io.github.dl4jcosine.snapshot.SnapshotListener;
import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.JobSucceeded$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our listeners on the network that {@code SparkDl4jMultiLayer} trains ({@code ParameterAveragingTrainingMaster},
 * {@code local[2]}, the counters of {@link ParameterAveragingScheduleTest}: 6 iterations per epoch, both workers
 * run each iteration). Spark serializes the listeners to the executors with each task: they must be
 * {@code Serializable} (else "Task not serializable"), each task gets its own copy, the copies record and check
 * there, and the driver's instances see none of it.
 */
class SparkListenersTest {

    private static JavaSparkContext sc;
    private static JavaRDD<DataSet> data;

    @BeforeAll
    static void start() {
        sc = SparkTestNets.context("SparkListenersTest");
        data = SparkTestNets.data(sc, 1);
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static SparkDl4jMultiLayer spark(ISchedule schedule, TrainingListener... listeners) {
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(1)
                .batchSizePerWorker(SparkTestNets.BATCH_PER_WORKER)
                .averagingFrequency(1)
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .rngSeed(3)
                .build();
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, SparkTestNets.net(schedule), tm);
        spark.setListeners(listeners);
        return spark;
    }

    @Test
    void listenersTravelToTheExecutorsAndRecordThere() {
        // CosineAnnealing ITERATION 0.1 -> 0.01 over 12 iterations = the 2 Spark epochs trained here:
        // lr(k) = 0.01 + 0.045 (1 + cos(pi k / 12))
        // python3 -c "from math import *; print([0.01+0.045*(1+cos(pi*k/12)) for k in range(12)])"
        double[] expected = {0.09999999999999999, 0.09846666218300806, 0.09397114317029974, 0.08681980515339463,
            0.0775, 0.06664685702961343, 0.055, 0.043353142970386574, 0.03250000000000001, 0.023180194846605363,
            0.016028856829700257, 0.011533337816991932};
        LearningRateListener lr = new LearningRateListener();
        ExecutorCopies<LearningRateListener> lrCopies = new ExecutorCopies<>(new LearningRateListener());
        // The plan in Spark's units (2 epochs, 48 examples, 4 per worker, 2 workers): the schedule fits it, so the
        // strict check passes on every executor.
        ScheduleCheck plan = ScheduleCheck.forSpark(2, SparkTestNets.EXAMPLES, SparkTestNets.BATCH_PER_WORKER,
                SparkTestNets.WORKERS);
        ScheduleCheckListener strict = new ScheduleCheckListener(plan, true);
        ExecutorCopies<ScheduleCheckListener> checkCopies = new ExecutorCopies<>(new ScheduleCheckListener(plan, false));

        SparkDl4jMultiLayer spark = spark(new CosineAnnealingSchedule(ScheduleType.ITERATION, 0.1, 0.01, 12),
                lr, strict, lrCopies, checkCopies);
        spark.fit(data);
        spark.fit(data);

        // The driver's instances were never called: the executors' copies were.
        assertEquals(0, lr.records().size(), "driver's LearningRateListener");
        assertEquals(0, lrCopies.original().records().size());
        assertTrue(strict.findings().isEmpty() && checkCopies.original().findings().isEmpty());

        // One copy per task: 12 averaging steps x 2 workers. Each recorded its task's update for both layers.
        List<LearningRateListener> copies = lrCopies.copies();
        assertEquals(12 * SparkTestNets.WORKERS, copies.size(), "copies of the LearningRateListener");
        Map<Integer, List<LearningRateListener.Record>> byIteration = new TreeMap<>();
        for (LearningRateListener copy : copies) {
            for (LearningRateListener.Record r : copy.records()) {
                byIteration.computeIfAbsent(r.iteration(), k -> new ArrayList<>()).add(r);
            }
        }
        assertEquals(expected.length, byIteration.size(), byIteration::toString);
        byIteration.forEach((k, records) -> {
            assertEquals(SparkTestNets.WORKERS * 2, records.size(), "2 workers x 2 layers at iteration " + k);
            for (LearningRateListener.Record r : records) {
                assertEquals(k / SparkTestNets.ITERATIONS_PER_EPOCH, r.epoch());
                assertEquals(expected[k], r.learningRate(), 1e-12 * expected[k], "iteration " + k);
            }
        });

        // Every executor copy of the check ran it at its first update and found nothing to report.
        List<ScheduleCheckListener> checks = checkCopies.copies();
        assertEquals(12 * SparkTestNets.WORKERS, checks.size(), "copies of the ScheduleCheckListener");
        for (ScheduleCheckListener c : checks) {
            assertTrue(c.findings().stream().allMatch(f -> f.severity() == ScheduleCheck.Severity.INFO), c.findings()::toString);
        }
    }

    @Test
    void strictScheduleCheckStopsTheSparkJobOnTheExecutor() {
        // ITERATION horizon sized as on one machine: 2 epochs x ceil(48 / 4) = 24 iterations, but Spark runs
        // 2 x ceil(48 / (4 x 2)) = 12. The executor's copy of the strict listener throws at its first update.
        ScheduleCheck plan = ScheduleCheck.forSpark(2, SparkTestNets.EXAMPLES, SparkTestNets.BATCH_PER_WORKER,
                SparkTestNets.WORKERS);
        assertTrue(plan.check(new CosineAnnealingSchedule(ScheduleType.ITERATION, 0.1, 0.01, 24)).stream()
                .anyMatch(f -> f.severity() == ScheduleCheck.Severity.WARNING), "the driver-side check finds it too");
        ScheduleCheckListener strict = new ScheduleCheckListener(plan, true);
        SparkDl4jMultiLayer spark = spark(new CosineAnnealingSchedule(ScheduleType.ITERATION, 0.1, 0.01, 24), strict);
        TaskCounts tasks = new TaskCounts();
        sc.sc().addSparkListener(tasks);
        Exception[] thrown = new Exception[1];
        // Each task's copy logs the warning, then throws; Spark logs the failed tasks (with the stack trace) and
        // aborts the job. The capture lasts until every task of the failed job has ended, so all of it is caught.
        String err = Printed.stderrOf(() -> {
            thrown[0] = assertThrows(Exception.class, () -> spark.fit(data));
            tasks.awaitFailedJobsTasks();
        });
        sc.sc().removeSparkListener(tasks);
        assertTrue(err.contains("WARN ScheduleCheckListener: WARNING: layer 'layer0': CosineAnnealingSchedule"
                + " (ITERATION) ends at iteration 24, sized as if on one machine"), err);
        Exception e = thrown[0];
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(t).append('\n');
        }
        assertTrue(chain.toString().contains("sized as if on one machine (2 epochs x ceil(48 / 4) = 24)"), chain::toString);
        assertTrue(strict.findings().isEmpty(), "found on the executor, not by the driver's instance");
    }

    /**
     * The tasks started and ended, as the driver's listener bus tells them. A job's end is posted after the start of
     * each of its tasks, and a task's end after the executor has logged its failure, so once a failed job's end has
     * come, equal counts mean every task of that job has ended and logged what it had to.
     */
    static final class TaskCounts extends SparkListener {
        private final AtomicInteger started = new AtomicInteger();
        private final AtomicInteger ended = new AtomicInteger();
        private final AtomicInteger failedJobs = new AtomicInteger();

        @Override
        public void onTaskStart(SparkListenerTaskStart taskStart) {
            started.incrementAndGet();
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
            ended.incrementAndGet();
        }

        @Override
        public void onJobEnd(SparkListenerJobEnd jobEnd) {
            if (jobEnd.jobResult() != JobSucceeded$.MODULE$) {
                failedJobs.incrementAndGet();
            }
        }

        /** Waits (up to 60 s) for a failed job's end and then for every started task to end. */
        void awaitFailedJobsTasks() throws InterruptedException {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while ((failedJobs.get() == 0 || ended.get() < started.get()) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
    }

    @Test
    void snapshotListenerSavesOnTheExecutorThatEndsACycle(@TempDir File dir) throws IOException {
        // SGDR ITERATION 0.1 -> 0, cycles of 6 iterations = one Spark epoch each here: cycles end at iterations 5
        // and 11. Each task's copy of the listener sees the update of its worker; the copies of the tasks that run
        // a cycle's last update save their worker's model (before averaging) to the folder on their machine (in
        // local mode: this one), with that worker's counters: 6 and 12 updates done, and the epoch of the fit they
        // ran in (SparkDl4jMultiLayer.fit counts the epoch on the driver, after the workers are done).
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ScheduleType.ITERATION, 0.1, 0.0, 6, 1.0);
        SnapshotListener snapshots = new SnapshotListener(dir, sgdr, 0);
        SparkDl4jMultiLayer spark = spark(sgdr, snapshots);
        spark.fit(data);
        spark.fit(data);

        String[] names = dir.list();
        Arrays.sort(names);
        assertArrayEquals(new String[] {"snapshot-cycle-0.zip", "snapshot-cycle-1.zip"}, names, Arrays.toString(names));
        // The listener's view of the folder is per process: in local mode the driver shares the executors' process
        // and lists their snapshots; on a cluster the files are on the executors' disks and the driver lists none.
        assertEquals(2, snapshots.snapshots().size(), snapshots.snapshots()::toString);
        for (int k = 0; k < 2; k++) {
            MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(new File(dir, names[k]), true);
            assertEquals(SparkTestNets.ITERATIONS_PER_EPOCH * (k + 1), saved.getIterationCount(), names[k]);
            // The worker's copy of the driver's epoch during that fit: the epoch the cycle ended in, not counted as
            // finished (the driver counts it after the fit), so one behind the next update's (6(k+1), k+1).
            assertEquals(k, saved.getEpochCount(), names[k]);
        }
        // A worker's model, before averaging: the last cycle's snapshot is not the driver's averaged network.
        MultiLayerNetwork last = ModelSerializer.restoreMultiLayerNetwork(new File(dir, names[1]), true);
        assertNotEquals(spark.getNetwork().params(), last.params());
    }
}
