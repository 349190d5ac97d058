package io.github.dl4jcosine.listener;

import io.github.dl4jcosine.internal.UpdaterLayers;
import io.github.dl4jcosine.schedule.PlateauSchedule;
import io.github.dl4jcosine.schedule.ProductSchedule;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every {@link PlateauSchedule} instance a network's updaters use, each once: the learning-rate schedule of every
 * parameter's updater (weights and biases, every layer: the updater DL4J builds its update from) and the
 * {@code Nesterovs} momentum schedule, looked into where a schedule holds others without shifting time (a
 * {@link ProductSchedule}'s factors, a PlateauSchedule's base). Layers that share one instance (a freshly built
 * network: DL4J's {@code Adam.clone()} shares its schedule) give it once; after JSON (a loaded model) each layer
 * has its own equal copy, and each is a target. The order is the network's: layer by layer, parameter by parameter.
 */
final class PlateauTargets {

    /** One schedule instance and where it is used, for messages: {@code learning rate of layer "dense"}. */
    static final class Target {
        final PlateauSchedule schedule;
        final Set<String> uses = new LinkedHashSet<>();

        Target(PlateauSchedule schedule) {
            this.schedule = schedule;
        }

        /** {@code learning rate of layer "dense"}, with {@code " (shared with 3 more)"} when shared. */
        String describe() {
            String first = uses.iterator().next();
            return first + (uses.size() > 1 ? " (shared with " + (uses.size() - 1) + " more)" : "");
        }
    }

    private PlateauTargets() {
    }

    /** The targets of a {@code MultiLayerNetwork} or {@code ComputationGraph}; empty for anything else. */
    static List<Target> of(Model model) {
        Layer[] layers = model instanceof MultiLayerNetwork ? ((MultiLayerNetwork) model).getLayers()
                : model instanceof ComputationGraph ? ((ComputationGraph) model).getLayers() : null;
        if (layers == null) {
            return Collections.emptyList();
        }
        Map<PlateauSchedule, Target> found = new IdentityHashMap<>();
        Map<Target, Boolean> ordered = new LinkedHashMap<>();
        for (Layer layer : layers) {
            Map<String, ?> params = layer.paramTable(false);
            if (params == null) {
                continue;
            }
            String name = layer.getConfig() == null ? String.valueOf(layer.getIndex()) : layer.getConfig().getLayerName();
            for (String param : params.keySet()) {
                IUpdater u = layer.getConfig().getUpdaterByParam(param);
                if (u == null) {
                    continue;
                }
                collect(UpdaterLayers.learningRateSchedule(u), "learning rate of layer \"" + name + "\"", found, ordered);
                if (u instanceof Nesterovs) {
                    collect(((Nesterovs) u).getMomentumISchedule(), "momentum of layer \"" + name + "\"", found,
                            ordered);
                }
            }
        }
        return new ArrayList<>(ordered.keySet());
    }

    private static void collect(ISchedule s, String where, Map<PlateauSchedule, Target> found,
                                Map<Target, Boolean> ordered) {
        if (s instanceof PlateauSchedule) {
            PlateauSchedule p = (PlateauSchedule) s;
            collect(p.getBase(), where, found, ordered);   // an inner plateau first: the outer one's rate includes it
            Target t = found.get(p);
            if (t == null) {
                t = new Target(p);
                found.put(p, t);
                ordered.put(t, Boolean.TRUE);
            }
            t.uses.add(where);
        } else if (s instanceof ProductSchedule) {
            for (ISchedule factor : ((ProductSchedule) s).getSchedules()) {
                collect(factor, where, found, ordered);
            }
        }
    }
}
