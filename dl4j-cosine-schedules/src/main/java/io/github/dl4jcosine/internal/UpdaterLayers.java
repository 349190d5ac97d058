package io.github.dl4jcosine.internal;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The layers of a network that have an updater with a learning rate, with their names. */
public final class UpdaterLayers {

    /** A layer's name and its updater configuration. */
    public static final class Entry {
        /** The layer's name. */
        public final String name;
        /** The layer's updater configuration. */
        public final IUpdater updater;

        Entry(String name, IUpdater updater) {
            this.name = name;
            this.updater = updater;
        }

        /** The updater's learning-rate schedule, or null (every DL4J updater names it getLearningRateSchedule). */
        public ISchedule schedule() {
            try {
                Method m = updater.getClass().getMethod("getLearningRateSchedule");
                Object s = m.invoke(updater);
                return s instanceof ISchedule ? (ISchedule) s : null;
            } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
                return null;
            }
        }

        /**
         * The updater's momentum schedule, or null: in DL4J 1.0.0-M2.1 only {@code Nesterovs} has one
         * ({@code new Nesterovs(lrSchedule, momentumSchedule)}, {@code new Nesterovs(lr, momentumSchedule)}).
         */
        public ISchedule momentumSchedule() {
            return updater instanceof Nesterovs ? ((Nesterovs) updater).getMomentumISchedule() : null;
        }
    }

    private UpdaterLayers() {
    }

    /** For a {@code MultiLayerNetwork} or {@code ComputationGraph}; empty for anything else. */
    public static List<Entry> of(Model model) {
        Layer[] layers = model instanceof MultiLayerNetwork ? ((MultiLayerNetwork) model).getLayers()
                : model instanceof ComputationGraph ? ((ComputationGraph) model).getLayers() : null;
        if (layers == null) {
            return Collections.emptyList();
        }
        List<Entry> out = new ArrayList<>();
        for (Layer layer : layers) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            if (conf instanceof BaseLayer) {
                IUpdater u = ((BaseLayer) conf).getIUpdater();
                if (u != null && u.hasLearningRate()) {
                    out.add(new Entry(conf.getLayerName(), u));
                }
            }
        }
        return out;
    }
}
