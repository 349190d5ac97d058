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
 * block has no parameters yet, or when the network trains by gradient sharing (which prepare refuses). No state
 * of its own: safe across networks and threads.
 */
final class PreparingListener extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 20261201L;

    @Override
    public void onGradientCalculation(Model model) {
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            return;
        }
        java.util.List<Blocks.Block> blocks = Blocks.of(model);
        if (blocks.isEmpty()) {
            return;
        }
        if (UpdaterStates.dropped(model)) {
            if (ParallelGuard.inParallelWrapper()) {
                throw new IllegalStateException("the network's schedule-free updater state was dropped by DL4J "
                        + "(MultiLayerNetwork.clear(), which ParallelWrapper calls at the end of every fit) and the "
                        + "wrapper's workers copied the empty state: call ScheduleFree.prepare(net) before each "
                        + "wrapper.fit, which restores it");
            }
            ScheduleFree.prepare(model);
            return;
        }
        for (Blocks.Block b : blocks) {
            if (!b.updater.prepared()) {
                ScheduleFree.prepare(model);
                return;
            }
        }
        if (Blocks.gradientsAccumulator(model) != null) {
            ScheduleFree.prepare(model); // refuses gradient sharing with its message
        }
    }

    @Override
    public String toString() {
        return "ScheduleFree.listener()";
    }
}
