package io.github.dl4jcosine.finder;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/** Small double-precision networks and fixed random data for the finder's integration tests. */
final class TestData {

    private TestData() {
    }

    /** {@code batches} minibatches of 6 examples, 4 features, 3 one-hot classes, from a fixed seed. */
    static List<DataSet> batches(int batches, long seed) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(seed);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            double[][] labels = new double[6][3];
            for (int i = 0; i < 6; i++) {
                labels[i][(i + b) % 3] = 1;
            }
            out.add(new DataSet(Nd4j.rand(DataType.DOUBLE, 6, 4), Nd4j.create(labels)));
        }
        return out;
    }

    static ListDataSetIterator<DataSet> iterator(int batches, long seed) {
        return new ListDataSetIterator<>(batches(batches, seed), 1);
    }

    static NeuralNetConfiguration.Builder builder(IUpdater updater) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        return new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE).updater(updater);
    }

    /** 4 -> dense 5 (tanh) -> softmax 3 with the given layers. */
    static MultiLayerConfiguration mlnConf(IUpdater updater, org.deeplearning4j.nn.conf.layers.Layer hidden,
                                          org.deeplearning4j.nn.conf.layers.Layer output) {
        return builder(updater).list().layer(hidden).layer(output).build();
    }

    static DenseLayer.Builder hidden() {
        return new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH);
    }

    static OutputLayer.Builder output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3).activation(Activation.SOFTMAX);
    }

    static MultiLayerNetwork mln(IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(mlnConf(updater, hidden().build(), output().build()));
        net.init();
        return net;
    }

    /** 4 -> dense 5 (tanh) -> softmax 3 as a graph with one input. */
    static ComputationGraph graphWithOneInput(IUpdater updater) {
        ComputationGraph net = new ComputationGraph(builder(updater).graphBuilder().addInputs("in")
                .addLayer("h", hidden().build(), "in").addLayer("out", output().build(), "h").setOutputs("out")
                .build());
        net.init();
        return net;
    }

    /** Two inputs of 4 features, a dense layer each, merged, softmax 3. */
    static ComputationGraphConfiguration twoInputGraph(IUpdater updater) {
        return builder(updater).graphBuilder().addInputs("a", "b")
                .addLayer("da", new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.TANH).build(), "a")
                .addLayer("db", new DenseLayer.Builder().nIn(4).nOut(2).activation(Activation.RELU).build(), "b")
                .addVertex("merge", new MergeVertex(), "da", "db")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "merge")
                .setOutputs("out").build();
    }

    /** Two-input minibatches: the features of {@link #batches} and the same features reversed. */
    static List<MultiDataSet> twoInputBatches(int batches, long seed) {
        List<MultiDataSet> out = new ArrayList<>();
        for (DataSet d : batches(batches, seed)) {
            out.add(new org.nd4j.linalg.dataset.MultiDataSet(new org.nd4j.linalg.api.ndarray.INDArray[] {
                d.getFeatures(), d.getFeatures().mul(-1)}, new org.nd4j.linalg.api.ndarray.INDArray[] {d.getLabels()}));
        }
        return out;
    }

    /** A resettable iterator over fixed MultiDataSets. */
    static final class ListMultiIterator implements MultiDataSetIterator {
        private static final long serialVersionUID = 1L;
        private final List<MultiDataSet> list;
        private int next;
        int resets;

        ListMultiIterator(List<MultiDataSet> list) {
            this.list = list;
        }

        @Override
        public MultiDataSet next(int num) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return true;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            next = 0;
            resets++;
        }

        @Override
        public boolean hasNext() {
            return next < list.size();
        }

        @Override
        public MultiDataSet next() {
            return list.get(next++);
        }
    }
}
