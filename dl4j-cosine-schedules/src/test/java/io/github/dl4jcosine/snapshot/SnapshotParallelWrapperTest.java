package io.github.dl4jcosine.snapshot;

import io.github.dl4jcosine.internal.ModelCounters;
import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import io.github.dl4jcosine.testing.Printed;
import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * {@code ParallelWrapper} calls the listener from every worker at once, each worker with its own replica of the
 * network (same layer names), all in lockstep: round r is update r of every replica. One snapshot per cycle, from
 * one replica, {@code keepLast} honoured; a whole-epoch schedule is refused loudly.
 */
class SnapshotParallelWrapperTest {

    /** Records which replicas finished which update, and the parameters of each right after it. */
    static final class Replicas extends BaseTrainingListener {
        final Map<Integer, List<double[]>> paramsByUpdate = Collections.synchronizedMap(new TreeMap<>());
        final Set<Model> models = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            models.add(model);
            paramsByUpdate.computeIfAbsent(iteration, k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(model.params().toDoubleVector());
        }
    }

    /**
     * 3 wrapper fits of 24 single-example batches: with w workers, 24 / w rounds per fit, so the replicas' shared
     * iteration counter reaches 72 / w. Restart period 2 updates: cycle k ends after update 2k + 1 (0-based), so
     * 36 / w cycles end; keepLast 3 keeps the last three. Each snapshot is one replica's model right after the
     * cycle's last update: its parameters equal those of one replica at that update, and its counter says 2k + 2.
     * The same for a ComputationGraph (3 workers).
     */
    @ParameterizedTest
    @CsvSource({"2, false", "3, false", "4, false", "3, true"})
    @SuppressWarnings("try") // ParallelWrapper.close() declares InterruptedException
    void oneSnapshotPerCycleFromOneReplica(int workers, boolean graph, @TempDir Path dir) throws Exception {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.05, 0.0, 2, 1.0);
        Model net = graph ? TestNets.graph(TestNets.graphConf(new Adam(sgdr)))
                : TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        SnapshotListener snapshots = new SnapshotListener(dir.toFile(), sgdr, 3);
        Replicas replicas = new Replicas();
        Nd4j.getRandom().setSeed(3);
        DataSet data = new DataSet(Nd4j.rand(24, 3), Nd4j.rand(24, 2));
        try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(workers).prefetchBuffer(2)
                .averagingFrequency(2).build()) {
            wrapper.setListeners(snapshots, replicas);
            for (int fit = 0; fit < 3; fit++) {
                wrapper.fit(new ListDataSetIterator<>(data.asList(), 1));
            }
        }
        assertTrue(replicas.models.size() >= workers, "every worker trained: " + replicas.models.size());
        int cycles = 72 / workers / 2;
        List<String> expected = new ArrayList<>();
        for (int k = cycles - 3; k < cycles; k++) {
            expected.add("snapshot-cycle-" + k + ".zip");
        }
        assertEquals(expected, names(snapshots.snapshots()));
        assertEquals(Set.copyOf(expected), Set.copyOf(names(Arrays.asList(dir.toFile().listFiles()))),
                "no other file, no temporary file left");
        assertEquals(cycles, snapshots.savedCount(), "exactly one save per cycle");
        for (int i = 0; i < 3; i++) {
            int k = cycles - 3 + i;
            File f = snapshots.snapshots().get(i);
            Model m = graph ? ModelSerializer.restoreComputationGraph(f, true)
                    : ModelSerializer.restoreMultiLayerNetwork(f, true);
            assertEquals(2 * k + 2, ModelCounters.iterationCount(m), "cycle " + k);
            double[] saved = m.params().toDoubleVector();
            assertTrue(replicas.paramsByUpdate.get(2 * k + 1).stream().anyMatch(p -> Arrays.equals(p, saved)),
                    "cycle " + k + ": the parameters of one replica right after update " + (2 * k + 1));
        }
        SnapshotEnsemble.load(snapshots.snapshots());
    }

    /**
     * ParallelWrapper never calls onEpochEnd: a whole-epoch schedule would never snapshot, so it is refused, before
     * the first update changes anything (worker 0 trains the user's network itself: its parameters and counters are
     * untouched).
     */
    @Test
    @SuppressWarnings("try") // ParallelWrapper.close() declares InterruptedException
    void wholeEpochScheduleIsRefused(@TempDir Path dir) throws Exception {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(EPOCH, 0.05, 0.0, 1, 1.0);
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        SnapshotListener snapshots = new SnapshotListener(dir.toFile(), sgdr, 0);
        DataSet data = TestNets.data();
        double[] initial = net.params().toDoubleVector();
        RuntimeException[] thrown = new RuntimeException[1];
        // Each refusing worker reports at ERROR; ParallelWrapper's handler for the worker's uncaught exception then
        // logs it and prints its stack trace, from the dying worker thread, possibly after fit has thrown: wait for
        // the workers to end before the capture ends.
        String err = Printed.stderrOf(() -> {
            try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(2)
                    .averagingFrequency(1).build()) {
                wrapper.setListeners(snapshots);
                thrown[0] = assertThrows(RuntimeException.class,
                        () -> wrapper.fit(new ListDataSetIterator<>(data.asList(), 2)));
            }
            joinWorkerThreads();
        });
        assertTrue(err.contains("ERROR") && err.contains("SnapshotListener: a whole-epoch schedule (EPOCH,"
                + " iterationsPerEpoch = 0) never snapshots under ParallelWrapper"), err);
        RuntimeException e = thrown[0];
        Throwable cause = e;
        while (cause != null && !(cause instanceof IllegalStateException)) {
            cause = cause.getCause();
        }
        assertTrue(cause != null && cause.getMessage().contains("never snapshots under ParallelWrapper"),
                String.valueOf(e));
        assertTrue(cause.getMessage().contains("Use an ITERATION schedule"));
        assertEquals(0, net.getIterationCount());
        assertArrayEquals(initial, net.params().toDoubleVector(), 0.0);
        assertEquals(0, dir.toFile().list().length);
    }

    /** Waits (up to 60 s) for ParallelWrapper's worker threads, which end once the wrapper is closed. */
    private static void joinWorkerThreads() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("ParallelWrapper training thread")) {
                t.join(60_000);
            }
        }
    }

    private static List<String> names(List<File> files) {
        return files.stream().map(File::getName).collect(Collectors.toList());
    }
}
