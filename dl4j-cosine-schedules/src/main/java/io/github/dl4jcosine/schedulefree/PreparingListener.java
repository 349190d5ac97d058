package io.github.dl4jcosine.schedulefree;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.io.Serializable;

/**
 * {@link ScheduleFree#listener()}: prepares a network before its first update, in
 * {@code onGradientCalculation} (DL4J calls it after computing the gradient, before the updater). Checks each
 * schedule-free block once per update (cheap: no arrays touched) and calls {@link ScheduleFree#prepare} when a
 * block that needs its parameters has none. No state of its own: safe across networks and threads.
 */
final class PreparingListener extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 20261201L;

    @Override
    public void onGradientCalculation(Model model) {
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            return;
        }
        for (Blocks.Block b : Blocks.of(model)) {
            if (b.updater.needsParameters() && !b.updater.prepared()) {
                ScheduleFree.prepare(model);
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "ScheduleFree.listener()";
    }
}
