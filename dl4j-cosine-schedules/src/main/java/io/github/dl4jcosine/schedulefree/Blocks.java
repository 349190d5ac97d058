package io.github.dl4jcosine.schedulefree;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.optimize.api.ConvexOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The schedule-free updater blocks of a network: DL4J groups consecutive parameter arrays with equal updater
 * configurations into one block, with one {@code GradientUpdater} and one contiguous range
 * {@code [start, end)} of the flat parameter vector {@code net.params()}.
 */
final class Blocks {

    /** One block whose updater is schedule-free. */
    static final class Block {
        final ScheduleFreeUpdater updater;
        final int start;
        final int end;

        Block(ScheduleFreeUpdater updater, int start, int end) {
            this.updater = updater;
            this.start = start;
            this.end = end;
        }

        long length() {
            return end - start;
        }

        /** This block's parameters: a view of the network's flat parameter vector. */
        INDArray of(INDArray params) {
            return params.get(NDArrayIndex.interval(start, end));
        }
    }

    private Blocks() {
    }

    /**
     * The schedule-free blocks of an initialized network, each laid out for its parameter count (the network's
     * updater is created if it has none yet).
     *
     * @throws NullPointerException     if {@code net} is null
     * @throws IllegalArgumentException if it is neither a MultiLayerNetwork nor a ComputationGraph
     * @throws IllegalStateException    if it is not initialized
     */
    static List<Block> of(Model net) {
        Objects.requireNonNull(net, "net");
        Updater updater;
        if (net instanceof MultiLayerNetwork) {
            MultiLayerNetwork mln = (MultiLayerNetwork) net;
            if (!mln.isInitCalled()) {
                throw new IllegalStateException("the MultiLayerNetwork is not initialized: call net.init() first");
            }
            updater = mln.getUpdater(true);
        } else if (net instanceof ComputationGraph) {
            ComputationGraph graph = (ComputationGraph) net;
            if (graph.getLayers() == null) {
                throw new IllegalStateException("the ComputationGraph is not initialized: call net.init() first");
            }
            updater = graph.getUpdater(true);
        } else {
            throw new IllegalArgumentException("net (" + net.getClass().getName() + ") must be a MultiLayerNetwork "
                    + "or a ComputationGraph");
        }
        List<Block> blocks = new ArrayList<>();
        if (!(updater instanceof BaseMultiLayerUpdater)) {
            return blocks;
        }
        for (UpdaterBlock b : ((BaseMultiLayerUpdater<?>) updater).getUpdaterBlocks()) {
            if (b.getParamOffsetEnd() > b.getParamOffsetStart()
                    && b.getGradientUpdater() instanceof ScheduleFreeUpdater) {
                Block block = new Block((ScheduleFreeUpdater) b.getGradientUpdater(), b.getParamOffsetStart(),
                        b.getParamOffsetEnd());
                block.updater.bind(block.length());
                blocks.add(block);
            }
        }
        return blocks;
    }

    /** The network's flat parameter vector (a view: writing to it changes the network). */
    static INDArray params(Model net) {
        INDArray p = net.params();
        return p.rank() == 1 ? p : p.reshape(p.length());
    }

    /** The optimizer's gradient accumulator: non-null under gradient sharing (ParallelWrapper, Spark). */
    static Object gradientsAccumulator(Model net) {
        ConvexOptimizer optimizer = net instanceof MultiLayerNetwork ? ((MultiLayerNetwork) net).getOptimizer()
                : ((ComputationGraph) net).getOptimizer();
        return optimizer == null ? null : optimizer.getGradientsAccumulator();
    }
}
