package io.github.dl4jcosine.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A tiny double-precision network (3 inputs, dense 4 tanh, output 2 identity MSE) with plain SGD and
 * {@code miniBatch(false)}, so {@link AppliedRates} can read the applied rate back from the parameters; 48
 * examples, one per RDD element, in 2 partitions; and a {@code local[2]} Spark context on loopback.
 */
final class SparkTestNets {

    static final int EXAMPLES = 48;
    static final int WORKERS = 2;
    static final int BATCH_PER_WORKER = 4;
    /** ceil(48 / (4 x 2)): one iteration per parallel step of both workers. */
    static final int ITERATIONS_PER_EPOCH = 6;
    private static final double TOLERANCE = 1e-9;

    private SparkTestNets() {
    }

    static JavaSparkContext context(String name) {
        SparkConf conf = new SparkConf()
                .setMaster("local[" + WORKERS + "]")
                .setAppName(name)
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false");
        return new JavaSparkContext(conf);
    }

    static MultiLayerNetwork net(ISchedule schedule) {
        return net(new Sgd(schedule), null, null);
    }

    /**
     * The same network with a hidden layer per updater (the global one, then each non-null extra one, 4 units
     * each): one schedule per layer.
     */
    static MultiLayerNetwork net(Sgd global, Sgd second, Sgd third) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.DOUBLE)
                .miniBatch(false)
                .updater(global)
                .list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build());
        for (Sgd extra : new Sgd[] {second, third}) {
            if (extra != null) {
                list.layer(new DenseLayer.Builder().nIn(4).nOut(4).activation(Activation.TANH).updater(extra).build());
            }
        }
        MultiLayerConfiguration conf = list
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * {@link #EXAMPLES} fixed random examples in {@link #WORKERS} partitions, {@code perElement} examples in each
     * {@code DataSet} of the RDD.
     */
    static JavaRDD<DataSet> data(JavaSparkContext sc, int perElement) {
        Nd4j.getRandom().setSeed(11);
        DataSet all = new DataSet(Nd4j.rand(DataType.DOUBLE, EXAMPLES, 3), Nd4j.rand(DataType.DOUBLE, EXAMPLES, 2));
        List<DataSet> list = all.batchBy(perElement);
        return sc.parallelize(list, WORKERS);
    }

    /**
     * Each of the two workers ran iteration k in epoch k / 6 with the rate {@code expected[k]}: the rate its
     * updater computed at its counters, and (if {@code measured}) the rate read back from its parameters.
     */
    static void assertApplied(String master, boolean measured, double[] expected, List<AppliedRates.Row> rows) {
        assertApplied(master, measured, expected, rows, -1);
    }

    /** As above, for the updater of layer {@code layer} only (every layer if -1). */
    static void assertApplied(String master, boolean measured, double[] expected, List<AppliedRates.Row> rows,
                              int layer) {
        List<AppliedRates.Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingInt(AppliedRates.Row::iteration).thenComparing(AppliedRates.Row::thread));
        // The whole table goes into the message of a failed assertion; a passing test prints nothing.
        StringBuilder table = new StringBuilder(master).append(", (iteration, epoch) -> rate measured from the"
                + " parameters (updater's rate, thread) [expected]:");
        for (AppliedRates.Row r : sorted) {
            table.append("\n  ").append(r).append(" [")
                    .append(r.iteration() < expected.length ? expected[r.iteration()] : "none").append(']');
        }
        assertEquals(expected.length * WORKERS, sorted.size(), () -> "one row per worker per iteration: " + table);
        for (int i = 0; i < sorted.size(); i++) {
            AppliedRates.Row r = sorted.get(i);
            int k = i / WORKERS;
            String where = "row " + i + " of " + table;
            assertEquals(k, r.iteration(), where);
            assertEquals(k / ITERATIONS_PER_EPOCH, r.epoch(), where);
            for (int l = 0; l < r.configured().length; l++) {
                if (layer < 0 || l == layer) {
                    assertEquals(expected[k], r.configured()[l], TOLERANCE * expected[k], where + " layer " + l);
                }
            }
            if (measured) {
                assertEquals(expected[k], r.rate(), TOLERANCE * expected[k], where);
            }
            if (i % WORKERS == 1) {
                assertNotEquals(sorted.get(i - 1).thread(), r.thread(), () -> "two workers at iteration " + k + ": " + table);
            }
        }
    }
}
