package io.github.dl4jcosine.spark;

import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.repartitioner.EqualRepartitioner;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rate our schedules give under {@code SharedTrainingMaster} (gradient sharing over Aeron, on loopback) in
 * {@code local[2]}, one executor with two {@code ParallelWrapper} worker threads.
 *
 * <p>Spark's counters here (measured): 48 examples in RDD elements of 4 (one minibatch each), 2 worker threads.
 * Each thread's network replica counts its own updates: 12 minibatches per epoch, 6 per thread, so each thread
 * runs iterations 6e .. 6e+5 in epoch e, and the driver's network ends each fit with the count of one thread
 * (6 per epoch) -- iterations per epoch = ceil(48 / (4 x 2)) = 6, as with parameter averaging. The epoch is the
 * number of {@code SparkDl4jMultiLayer.fit} calls. An {@code ITERATION} schedule therefore runs on each thread's
 * count, not on the total number of updates: size it in these units, or use {@code EPOCH}.
 *
 * <p>What is asserted: the rate each worker's updater computed at its counters ({@code Sgd} multiplies the gradient
 * by it), against hand-derived values. The parameters cannot show it: gradient sharing applies each update
 * threshold-encoded (every element moved by +-threshold or not at all), so the parameter change does not scale
 * with the rate.
 */
class SharedTrainingScheduleTest {

    private static JavaSparkContext sc;
    private static JavaRDD<DataSet> data;

    @BeforeAll
    static void start() {
        sc = SparkTestNets.context("SharedTrainingScheduleTest");
        data = SparkTestNets.data(sc, SparkTestNets.BATCH_PER_WORKER);
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void epochFractionalAndIterationSchedulesAtEachWorkersCounters() {
        // One run only: SharedTrainingMaster keeps JVM-wide state (SharedTrainingWrapper, ModelParameterServer), and
        // a second master in the same JVM starts from the first one's counters. So one network with a schedule of
        // each unit on its own layer: layers 0 and 3 (the global updater) EPOCH, layer 1 fractional, layer 2 ITERATION.
        Sgd epoch = new Sgd(new CosineAnnealingSchedule(ScheduleType.EPOCH, 0.1, 0.01, 2));
        Sgd fractional = new Sgd(new WarmupCosineSchedule(ScheduleType.EPOCH, 0.1, 0.01, 0.01, 1, 3,
                SparkTestNets.ITERATIONS_PER_EPOCH));
        Sgd iteration = new Sgd(new CosineAnnealingSchedule(ScheduleType.ITERATION, 0.1, 0.01, 18));
        MultiLayerNetwork net = SparkTestNets.net(epoch, fractional, iteration);
        VoidConfiguration voidConf = VoidConfiguration.builder()
                .unicastPort(40123)
                .networkMask("127.0.0.0/8")
                .controllerAddress("127.0.0.1")
                .build();
        SharedTrainingMaster tm = new SharedTrainingMaster.Builder(voidConf, SparkTestNets.BATCH_PER_WORKER)
                .batchSizePerWorker(SparkTestNets.BATCH_PER_WORKER)
                .workersPerNode(SparkTestNets.WORKERS)
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                // One partition per task slot: a feeder task waits for the training task of its executor, so
                // more partitions than local[2]'s two slots deadlock (the default repartitioner makes 12).
                .repartitioner(new EqualRepartitioner())
                .rngSeed(3)
                .build();
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, net, tm);
        AppliedRates rates = new AppliedRates();
        spark.setListeners(rates);
        int epochs = 3;
        for (int e = 0; e < epochs; e++) {
            spark.fit(data);
            // The driver's network: one worker thread's iteration count, one epoch per fit.
            assertEquals(SparkTestNets.ITERATIONS_PER_EPOCH * (e + 1), spark.getNetwork().getIterationCount(),
                    "driver iterations");
            assertEquals(e + 1, spark.getNetwork().getEpochCount(), "driver epochs");
        }
        List<AppliedRates.Row> rows = rates.drain();

        // EPOCH, whole epochs: CosineAnnealing 0.1 -> 0.01 over 2 epochs: lr(e) = 0.01 + 0.045 (1 + cos(pi e / 2)):
        // e = 0: 0.1; e = 1: 0.055; e = 2: 0.01 (held). Six iterations each.
        double[] byEpoch = new double[epochs * SparkTestNets.ITERATIONS_PER_EPOCH];
        for (int k = 0; k < byEpoch.length; k++) {
            byEpoch[k] = new double[] {0.1, 0.055, 0.01}[k / SparkTestNets.ITERATIONS_PER_EPOCH];
        }
        SparkTestNets.assertApplied("SharedTrainingMaster, EPOCH (layer 0)", false, byEpoch, rows, 0);
        SparkTestNets.assertApplied("SharedTrainingMaster, EPOCH (layer 3)", false, byEpoch, rows, 3);

        // Fractional: WarmupCosine EPOCH, iterationsPerEpoch = 6 (each thread's, see the class comment): t = k / 6;
        // warmup 0.01 -> 0.1 over [0, 1): lr = 0.01 + 0.09 t; cosine 0.1 -> 0.01 over [1, 3]:
        // lr = 0.01 + 0.045 (1 + cos(pi (t - 1) / 2)).
        // python3 -c "from math import *; print([0.01+0.09*k/6 if k<6 else 0.01+0.045*(1+cos(pi*(k/6-1)/2)) for k in range(18)])"
        SparkTestNets.assertApplied("SharedTrainingMaster, fractional EPOCH (layer 1)", false, new double[] {0.01, 0.025,
            0.04, 0.05500000000000001, 0.06999999999999999, 0.08499999999999999, 0.09999999999999999,
            0.09846666218300806, 0.09397114317029974, 0.08681980515339463, 0.0775, 0.06664685702961344, 0.055,
            0.04335314297038658, 0.03249999999999999, 0.023180194846605363, 0.016028856829700268,
            0.011533337816991927}, rows, 1);

        // ITERATION: CosineAnnealing 0.1 -> 0.01 over 18 iterations of each thread (36 updates in all):
        // lr(k) = 0.01 + 0.045 (1 + cos(pi k / 18)).
        // python3 -c "from math import *; print([0.01+0.045*(1+cos(pi*k/18)) for k in range(18)])"
        SparkTestNets.assertApplied("SharedTrainingMaster, ITERATION (layer 2)", false, new double[] {
            0.09999999999999999, 0.09931634888554935, 0.09728616793536587, 0.09397114317029974, 0.089471999940354,
            0.08392544243589425, 0.0775, 0.0703909064496551, 0.06281416799501187, 0.055, 0.04718583200498814,
            0.03960909355034492, 0.03250000000000001, 0.026074557564105726, 0.020528000059645994,
            0.016028856829700268, 0.012713832064634126, 0.010683651114450639}, rows, 2);
    }
}
