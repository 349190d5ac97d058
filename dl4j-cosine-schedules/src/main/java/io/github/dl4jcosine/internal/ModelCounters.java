package io.github.dl4jcosine.internal;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A network's iteration and epoch counters (the ones DL4J hands to a schedule), read and written the same way for a
 * {@code MultiLayerNetwork} and a {@code ComputationGraph}: DL4J's {@code Model} interface has no accessor for them.
 */
public final class ModelCounters {

    private ModelCounters() {
    }

    /** The network's iteration counter (the number of updates done). */
    public static int iterationCount(Model model) {
        return model instanceof ComputationGraph ? ((ComputationGraph) model).getIterationCount()
                : ((MultiLayerNetwork) model).getIterationCount();
    }

    /** The network's epoch counter (the number of epochs completed). */
    public static int epochCount(Model model) {
        return model instanceof ComputationGraph ? ((ComputationGraph) model).getEpochCount()
                : ((MultiLayerNetwork) model).getEpochCount();
    }

    /** Sets both counters. */
    public static void set(Model model, int iteration, int epoch) {
        if (model instanceof ComputationGraph) {
            ((ComputationGraph) model).getConfiguration().setIterationCount(iteration);
            ((ComputationGraph) model).getConfiguration().setEpochCount(epoch);
        } else {
            ((MultiLayerNetwork) model).setIterationCount(iteration);
            ((MultiLayerNetwork) model).setEpochCount(epoch);
        }
    }
}
