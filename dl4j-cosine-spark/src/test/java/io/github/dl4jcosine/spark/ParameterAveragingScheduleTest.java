package io.github.dl4jcosine.spark;

import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rate our schedules apply under {@code ParameterAveragingTrainingMaster} in {@code local[2]}: measured on the
 * executors from the parameters ({@link AppliedRates}) and compared with the schedule's documented formula
 * evaluated at Spark's counters, with expected values derived by hand (python3 one-liners in the comments).
 *
 * <p>Spark's counters here: 48 examples, 4 per worker, 2 workers, averaging after every update. Each averaging
 * step is one iteration, run by both workers with the same counters; {@code SparkDl4jMultiLayer.fit} is one
 * epoch. So iterations per epoch = ceil(48 / (4 x 2)) = 6 (not 48 / 4 = 12 as on one machine), and epoch e
 * covers iterations 6e .. 6e+5.
 */
class ParameterAveragingScheduleTest {

    private static final int ITERATIONS_PER_EPOCH = SparkTestNets.ITERATIONS_PER_EPOCH; // ceil(48 / (4 x 2))

    private static JavaSparkContext sc;
    private static JavaRDD<DataSet> data;

    @BeforeAll
    static void start() {
        sc = SparkTestNets.context("ParameterAveragingScheduleTest");
        data = SparkTestNets.data(sc, 1);
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    /** Trains {@code epochs} Spark epochs; returns the executors' rows, checking the driver's counters on the way. */
    private static List<AppliedRates.Row> train(ISchedule schedule, int epochs) {
        MultiLayerNetwork net = SparkTestNets.net(schedule);
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(1)
                .batchSizePerWorker(SparkTestNets.BATCH_PER_WORKER)
                .averagingFrequency(1)
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .rngSeed(3)
                .build();
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, net, tm);
        AppliedRates rates = new AppliedRates();
        spark.setListeners(rates);
        for (int e = 0; e < epochs; e++) {
            spark.fit(data);
            // The driver's network after each fit: one iteration per averaging step, one epoch per fit.
            assertEquals(ITERATIONS_PER_EPOCH * (e + 1), spark.getNetwork().getIterationCount(), "driver iterations");
            assertEquals(e + 1, spark.getNetwork().getEpochCount(), "driver epochs");
        }
        return rates.drain();
    }

    @Test
    void iterationScheduleFollowsTheAveragingSteps() {
        // CosineAnnealing ITERATION 0.1 -> 0.01 over 12 iterations = 2 Spark epochs here (24 on one machine's count).
        // lr(k) = 0.01 + 0.045 (1 + cos(pi k / 12)):
        // python3 -c "from math import *; print([0.01+0.045*(1+cos(pi*k/12)) for k in range(12)])"
        double[] expected = {0.09999999999999999, 0.09846666218300806, 0.09397114317029974, 0.08681980515339463,
            0.0775, 0.06664685702961343, 0.055, 0.043353142970386574, 0.03250000000000001, 0.023180194846605363,
            0.016028856829700257, 0.011533337816991932};
        SparkTestNets.assertApplied("ParameterAveragingTrainingMaster", true, expected, train(new CosineAnnealingSchedule(ScheduleType.ITERATION, 0.1, 0.01, 12), 2));
    }

    @Test
    void epochScheduleStepsOncePerFit() {
        // CosineAnnealing EPOCH 0.1 -> 0.01 over 2 epochs, whole epochs: lr(e) = 0.01 + 0.045 (1 + cos(pi e / 2)):
        // e = 0: 0.1; e = 1: 0.01 + 0.045 = 0.055; e = 2: 0.01 (held). Six iterations each.
        double[] expected = new double[3 * ITERATIONS_PER_EPOCH];
        for (int k = 0; k < expected.length; k++) {
            expected[k] = new double[] {0.1, 0.055, 0.01}[k / ITERATIONS_PER_EPOCH];
        }
        SparkTestNets.assertApplied("ParameterAveragingTrainingMaster", true, expected, train(new CosineAnnealingSchedule(ScheduleType.EPOCH, 0.1, 0.01, 2), 3));
    }

    @Test
    void fractionalEpochScheduleWithSparksIterationsPerEpoch() {
        // WarmupCosine EPOCH, iterationsPerEpoch = 6 (Spark's, see the class comment): t = k / 6 epochs;
        // warmup 0.01 -> 0.1 over [0, 1): lr = 0.01 + 0.09 t; cosine 0.1 -> 0.01 over [1, 2]:
        // lr = 0.01 + 0.045 (1 + cos(pi (t - 1))).
        // python3 -c "from math import *; print([0.01+0.09*k/6 if k<6 else 0.01+0.045*(1+cos(pi*(k/6-1))) for k in range(12)])"
        double[] expected = {0.01, 0.025, 0.04, 0.055, 0.07, 0.085, 0.1, 0.09397114317029973, 0.0775, 0.055,
            0.0325, 0.016028856829700268};
        SparkTestNets.assertApplied("ParameterAveragingTrainingMaster", true, expected, train(new WarmupCosineSchedule(ScheduleType.EPOCH, 0.1, 0.01, 0.01, 1, 2,
                ITERATIONS_PER_EPOCH), 2));
    }
}
