package io.github.dl4jcosine.spark;

import io.github.dl4jcosine.listener.PlateauListener;
import io.github.dl4jcosine.schedule.PlateauSchedule;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reduce on plateau with {@code ParameterAveragingTrainingMaster} in {@code local[2]}: the PlateauListener reports on
 * the driver after each {@code fit}; the next fit broadcasts the driver's network, schedule state included, and every
 * worker applies the reduced rate (measured from the parameters, {@link AppliedRates}). Attached to the Spark
 * network, the listener refuses on the executors.
 */
class PlateauSparkTest {

    private static JavaSparkContext sc;
    private static JavaRDD<DataSet> data;

    @BeforeAll
    static void start() {
        sc = SparkTestNets.context("PlateauSparkTest");
        data = SparkTestNets.data(sc, 1);
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static SparkDl4jMultiLayer spark(MultiLayerNetwork net) {
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(1)
                .batchSizePerWorker(SparkTestNets.BATCH_PER_WORKER).averagingFrequency(1).workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct).rngSeed(3).build();
        return new SparkDl4jMultiLayer(sc, net, tm);
    }

    private static DataSetLossCalculator validation() {
        Nd4j.getRandom().setSeed(23);
        DataSet v = new DataSet(Nd4j.rand(DataType.DOUBLE, 8, 3), Nd4j.rand(DataType.DOUBLE, 8, 2));
        return new DataSetLossCalculator(new ListDataSetIterator<>(v.asList(), 8), true);
    }

    /**
     * Patience 0, factor 0.5 over a constant 0.1: after fit 1 the reported loss sets the best; after fit 2 a worse
     * one (reported by hand) reduces from the driver's next update, iteration 12 (two Spark epochs of 6), so both
     * workers apply 0.1 in epochs 0 and 1 and 0.05 in epoch 2. The third report evaluates on the driver.
     */
    @Test
    void reportingOnTheDriverReachesTheWorkers() {
        PlateauSchedule s = PlateauSchedule.builder(new FixedSchedule(0.1)).patience(0).factor(0.5).build();
        MultiLayerNetwork net = SparkTestNets.net(s);
        SparkDl4jMultiLayer spark = spark(net);
        AppliedRates rates = new AppliedRates();
        spark.setListeners(rates);
        PlateauListener plateau = new PlateauListener(validation());
        spark.fit(data);
        plateau.report(spark.getNetwork(), 1.0, spark.getNetwork().getEpochCount());
        spark.fit(data);
        plateau.report(spark.getNetwork(), 2.0, spark.getNetwork().getEpochCount());
        spark.fit(data);
        double metric = plateau.reportEpoch(spark.getNetwork(), spark.getNetwork().getEpochCount());

        assertTrue(Double.isFinite(metric));
        assertEquals(3 * SparkTestNets.ITERATIONS_PER_EPOCH, s.getState().getLastReportIteration());
        assertEquals(2 * SparkTestNets.ITERATIONS_PER_EPOCH, s.getState().getReductionIterations()[0]);
        double[] expected = new double[3 * SparkTestNets.ITERATIONS_PER_EPOCH];
        for (int k = 0; k < expected.length; k++) {
            expected[k] = k < 2 * SparkTestNets.ITERATIONS_PER_EPOCH ? 0.1 : 0.05;
        }
        SparkTestNets.assertApplied("ParameterAveragingTrainingMaster", true, expected, rates.drain());
    }

    @Test
    void attachedToTheSparkNetworkItIsRefused() {
        MultiLayerNetwork net = SparkTestNets.net(PlateauSchedule.builder(new FixedSchedule(0.1)).build());
        SparkDl4jMultiLayer spark = spark(net);
        spark.setListeners(new PlateauListener(validation()));
        SparkListenersTest.TaskCounts tasks = new SparkListenersTest.TaskCounts();
        sc.sc().addSparkListener(tasks);
        Exception[] thrown = new Exception[1];
        // each task's copy refuses; Spark logs the failed tasks (with the stack trace) and aborts the job: the
        // capture lasts until every task of the failed job has ended
        String err = Printed.stderrOf(() -> {
            thrown[0] = assertThrows(Exception.class, () -> spark.fit(data));
            tasks.awaitFailedJobsTasks();
        });
        sc.sc().removeSparkListener(tasks);
        assertTrue(err.contains("PlateauListener cannot be attached to a Spark network"), err);
        Exception e = thrown[0];
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(t).append('\n');
        }
        assertTrue(chain.toString().contains("PlateauListener cannot be attached to a Spark network"), chain::toString);
        assertEquals(0, spark.getNetwork().getIterationCount());
    }
}
