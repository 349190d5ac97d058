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

import java.util.List;

/**
 * A tiny double-precision network (3 inputs, dense 4 tanh, output 2 identity MSE) with plain SGD and
 * {@code miniBatch(false)}, so {@link AppliedRates} can read the applied rate back from the parameters; 48
 * examples, one per RDD element, in 2 partitions; and a {@code local[2]} Spark context on loopback.
 */
final class SparkTestNets {

    static final int EXAMPLES = 48;
    static final int WORKERS = 2;

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
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.DOUBLE)
                .miniBatch(false)
                .updater(new Sgd(schedule))
                .list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** {@link #EXAMPLES} fixed random examples, one {@code DataSet} each, in {@link #WORKERS} partitions. */
    static JavaRDD<DataSet> data(JavaSparkContext sc) {
        Nd4j.getRandom().setSeed(11);
        DataSet all = new DataSet(Nd4j.rand(DataType.DOUBLE, EXAMPLES, 3), Nd4j.rand(DataType.DOUBLE, EXAMPLES, 2));
        List<DataSet> list = all.asList();
        return sc.parallelize(list, WORKERS);
    }
}
