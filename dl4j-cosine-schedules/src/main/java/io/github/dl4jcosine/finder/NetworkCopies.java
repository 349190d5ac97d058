package io.github.dl4jcosine.finder;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;

/**
 * The one copy of the caller's network that a sweep trains. Unlike DL4J's {@code clone()}, which shares
 * configuration objects (layer configurations, updaters, schedules) with the original and, for a
 * {@code ComputationGraph}, its listener list, the copy shares nothing: its configuration is rebuilt from the
 * original's JSON (counters included), its parameters and updater state are copies, it has no listeners. The
 * original is only read: its updater is not created if it has none yet, and an uninitialized network stays
 * uninitialized (the copy is then initialized from the configuration, as {@code init()} would do it).
 */
final class NetworkCopies {

    private NetworkCopies() {
    }

    static MultiLayerNetwork copy(MultiLayerNetwork net) {
        MultiLayerConfiguration conf;
        try {
            conf = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        } catch (RuntimeException e) {
            throw notCopyable(e);
        }
        MultiLayerNetwork copy = new MultiLayerNetwork(conf);
        boolean initialized = net.isInitCalled();
        if (initialized && net.numParams() > 0) {
            copy.init(net.params().dup(), false);
        } else {
            copy.init();
        }
        if (initialized) {
            // as MultiLayerNetwork.clone(): layers frozen after construction (FrozenLayer around a plain layer
            // configuration) stay frozen in the copy
            Layer[] original = net.getLayers();
            Layer[] layers = copy.getLayers();
            boolean changed = false;
            for (int i = 0; i < original.length; i++) {
                if (original[i] instanceof FrozenLayer && !(layers[i] instanceof FrozenLayer)) {
                    layers[i] = new FrozenLayer(layers[i]);
                    changed = true;
                }
            }
            if (changed) {
                copy.setLayers(layers);
            }
        }
        BaseMultiLayerUpdater<?> from = initialized ? (BaseMultiLayerUpdater<?>) net.getUpdater(false) : null;
        UpdaterStates.copy(from, (BaseMultiLayerUpdater<?>) copy.getUpdater(true));
        return copy;
    }

    static ComputationGraph copy(ComputationGraph net) {
        ComputationGraphConfiguration conf;
        try {
            conf = ComputationGraphConfiguration.fromJson(net.getConfiguration().toJson());
        } catch (RuntimeException e) {
            throw notCopyable(e);
        }
        ComputationGraph copy = new ComputationGraph(conf);
        boolean initialized = net.getLayers() != null;
        if (initialized && net.numParams() > 0) {
            copy.init(net.params().dup(), false);
        } else {
            copy.init();
        }
        if (initialized) {
            // as ComputationGraph.clone()
            for (Layer layer : net.getLayers()) {
                String name = layer.conf().getLayer().getLayerName();
                if (layer instanceof FrozenLayer && !(copy.getLayer(name) instanceof FrozenLayer)) {
                    copy.getVertex(name).setLayerAsFrozen();
                }
            }
        }
        BaseMultiLayerUpdater<?> from = initialized ? net.getUpdater(false) : null;
        UpdaterStates.copy(from, copy.getUpdater(true));
        return copy;
    }

    private static IllegalArgumentException notCopyable(RuntimeException e) {
        return new IllegalArgumentException("net's configuration must survive a JSON round trip (toJson, fromJson),"
                + " as it must to be saved with ModelSerializer; the sweep trains a copy built from it: " + e, e);
    }
}
