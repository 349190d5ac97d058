package io.github.dl4jcosine.schedulefree;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link ScheduleFree.EvalMode#recomputeBatchNormStatistics}: DL4J updates a BatchNormalization layer's running
 * statistics in its backward pass, as the "gradient" {@code (1 - decay) * (running - batch)} (for the log10 of
 * the standard deviation, the matching log ratio), applied by a no-op updater. Here, for batch {@code b = 0, 1,
 * ...}, each layer's {@code decay} is set to {@code b / (b + 1)} for that pass and only the statistics' part of
 * the gradient is applied: after B batches the running statistics are the equal-weight average of the B batch
 * statistics, independent of what they were before. The configured decay is restored afterwards, and the iterator
 * is reset (when it supports it) so that the next {@code fit} sees a whole epoch.
 */
final class BatchNormStatistics {

    private static final String[] STATISTICS = {BatchNormalizationParamInitializer.GLOBAL_MEAN,
        BatchNormalizationParamInitializer.GLOBAL_VAR, BatchNormalizationParamInitializer.GLOBAL_LOG_STD};

    private BatchNormStatistics() {
    }

    static int recompute(Model net, DataSetIterator data, MultiDataSetIterator multi, int batches) {
        List<BatchNormalization> layers = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        Layer[] all = net instanceof MultiLayerNetwork ? ((MultiLayerNetwork) net).getLayers()
                : ((ComputationGraph) net).getLayers();
        for (Layer l : all) {
            if (l instanceof BatchNormalization) {
                layers.add((BatchNormalization) l);
                keys.add(net instanceof MultiLayerNetwork ? String.valueOf(l.getIndex())
                        : l.conf().getLayer().getLayerName());
            }
        }
        if (layers.isEmpty()) {
            return 0;
        }
        if (data != null && !data.hasNext() && data.resetSupported()) {
            data.reset();
        }
        if (multi != null && !multi.hasNext() && multi.resetSupported()) {
            multi.reset();
        }
        double[] decays = new double[layers.size()];
        for (int i = 0; i < decays.length; i++) {
            decays[i] = conf(layers.get(i)).getDecay();
        }
        int seen = 0;
        try {
            for (; seen < batches && (data != null ? data.hasNext() : multi.hasNext()); seen++) {
                for (BatchNormalization l : layers) {
                    conf(l).setDecay(seen / (seen + 1.0));
                }
                if (data != null) {
                    feed(net, data.next());
                } else {
                    feed((ComputationGraph) net, multi.next());
                }
                if (net instanceof MultiLayerNetwork) {
                    ((MultiLayerNetwork) net).computeGradientAndScore();
                } else {
                    ((ComputationGraph) net).computeGradientAndScore();
                }
                Gradient g = net.gradient();
                for (int i = 0; i < layers.size(); i++) {
                    for (String s : STATISTICS) {
                        INDArray param = layers.get(i).getParam(s);
                        if (param != null) {
                            INDArray step = g.getGradientFor(keys.get(i) + "_" + s);
                            if (step == null) {
                                throw new IllegalStateException("no gradient for BatchNormalization statistic "
                                        + keys.get(i) + "_" + s);
                            }
                            param.subi(step);
                        }
                    }
                }
            }
        } finally {
            for (int i = 0; i < decays.length; i++) {
                conf(layers.get(i)).setDecay(decays[i]);
            }
            // not net.clear(): MultiLayerNetwork.clear() drops the solver, and with it the updater state.
            // Reset the iterator: fit(iterator) resets only an exhausted one, so the next epoch would otherwise
            // start where these batches stopped.
            if (data != null && data.resetSupported()) {
                data.reset();
            }
            if (multi != null && multi.resetSupported()) {
                multi.reset();
            }
        }
        if (seen == 0) {
            throw new IllegalStateException("the iterator gave no batch to recompute BatchNorm statistics from");
        }
        return layers.size();
    }

    private static org.deeplearning4j.nn.conf.layers.BatchNormalization conf(BatchNormalization layer) {
        return (org.deeplearning4j.nn.conf.layers.BatchNormalization) layer.conf().getLayer();
    }

    private static void feed(Model net, DataSet ds) {
        if (net instanceof MultiLayerNetwork) {
            MultiLayerNetwork mln = (MultiLayerNetwork) net;
            mln.setInput(ds.getFeatures());
            mln.setLabels(ds.getLabels());
            mln.setLayerMaskArrays(ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
        } else {
            ComputationGraph graph = (ComputationGraph) net;
            graph.setInputs(ds.getFeatures());
            graph.setLabels(ds.getLabels());
            graph.setLayerMaskArrays(ds.getFeaturesMaskArray() == null ? null : new INDArray[] {ds.getFeaturesMaskArray()},
                    ds.getLabelsMaskArray() == null ? null : new INDArray[] {ds.getLabelsMaskArray()});
        }
    }

    private static void feed(ComputationGraph graph, MultiDataSet ds) {
        graph.setInputs(ds.getFeatures());
        graph.setLabels(ds.getLabels());
        graph.setLayerMaskArrays(ds.getFeaturesMaskArrays(), ds.getLabelsMaskArrays());
    }
}
