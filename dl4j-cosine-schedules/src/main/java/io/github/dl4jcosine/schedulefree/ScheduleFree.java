package io.github.dl4jcosine.schedulefree;

import org.deeplearning4j.earlystopping.EarlyStoppingModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

import java.util.List;
import java.util.Objects;

/**
 * What a network trained with {@link ScheduleFreeAdamW} or {@link ScheduleFreeSgd} needs around DL4J's
 * {@code fit}: the parameters for weight decay ({@link #prepare}), and the switch to the averaged parameters
 * x for evaluation and export ({@link #evalMode}, PyTorch's {@code optimizer.eval()} / {@code train()}).
 *
 * <p>During training the network holds y (where gradients are taken); each schedule-free updater block holds
 * {@code x - y} in its state. So:
 * <ul>
 *   <li><b>Evaluate and export at x</b>: inside {@code try (ScheduleFree.EvalMode e = ScheduleFree.evalMode(net))}
 *       the network holds {@code x = y + (x - y)}; {@code close()} puts y back bit for bit. Training inside is
 *       refused ({@code IllegalStateException}), as PyTorch refuses {@code step()} in eval mode. A model saved
 *       inside (with its updater) remembers that it holds x: training it later is refused until
 *       {@link #restoreTrainingPoint} computes {@code y = x - (x - y)}.</li>
 *   <li><b>Resume</b>: save at y with the updater ({@code ModelSerializer.writeModel(net, file, true)}), load,
 *       {@link #prepare}, {@code fit}: the run continues bit for bit as if never stopped.</li>
 *   <li><b>BatchNorm</b>: running mean and variance are parameters DL4J updates outside the updater, from
 *       batches seen at y; at x they are stale. Inside an {@code EvalMode}, call
 *       {@link EvalMode#recomputeBatchNormStatistics} on a few training batches (the running statistics become
 *       the equal-weight average of those batches' statistics at x); {@code close()} restores the training
 *       ones with y.</li>
 *   <li><b>EarlyStoppingTrainer</b>: wrap the score calculator with {@link #scoreAtX} and the model saver with
 *       {@link #saveAtX}, so that epochs are scored and the best model saved at x.</li>
 *   <li><b>ParallelWrapper</b> (averaging mode, {@code averageUpdaters(true)}: the wrapper's defaults): add
 *       {@link #listener()} to the wrapper ({@code wrapper.setListeners(...)}) and call {@link #prepare} before
 *       each {@code wrapper.fit}. The listener prepares each worker's copy of the network and refuses gradient
 *       sharing ({@code SHARED_GRADIENTS}, {@code CUSTOM}: workers apply each other's encoded updates, which the
 *       state cannot follow); without it the first update under the wrapper throws {@code IllegalStateException}
 *       naming it. DL4J M2.1's wrapper ends every {@code fit} with {@code clear()} on a MultiLayerNetwork, which
 *       drops its updater state (Adam's too); {@code prepare} and {@code evalMode} restore it. Averaging keeps
 *       the state consistent: y, {@code x - y} and v are averaged alike, so the averaged x is the average of the
 *       workers' x. Two DL4J limits remain: a worker copy may start from the original network after that network's
 *       first update of the {@code fit} (the wrapper does not wait for its workers to copy), and
 *       {@code averageUpdaters(false)}, which an updater or listener cannot see, is not refused but is not the
 *       algorithm (the original network's x then adds its own worker's {@code x - y} to the averaged y).</li>
 * </ul>
 * Anything else that changes the parameters between updates (DL4J's own {@code weightDecay}/{@code l1}
 * regularization applied after the updater, constraints, {@code setParams}) moves x, y and z together: the
 * state keeps {@code x - y}. Use the updaters' {@code weightDecay}, not DL4J's. Not thread-safe: one thread
 * uses a network at a time.
 */
public final class ScheduleFree {

    private ScheduleFree() {
    }

    /**
     * Gives every schedule-free updater block of {@code net} its parameters y, which weight decay needs (DL4J
     * shows updaters only the gradient). Call after {@code init()}, and after loading or cloning a network,
     * before {@code fit}; a no-op for networks without schedule-free layers. Without it, a block with weight
     * decay throws {@code IllegalStateException} at its first update. It also remembers the network's updater
     * state, and restores it when DL4J has dropped it since ({@code MultiLayerNetwork.clear()}, which
     * ParallelWrapper calls at the end of every {@code fit}): call it before each {@code wrapper.fit}. (Restoring
     * happens only when the network's updater object has changed, its state is all zero and the remembered state
     * is not; {@link #evalMode} and {@link #restoreTrainingPoint} restore likewise.)
     *
     * @throws NullPointerException     if {@code net} is null
     * @throws IllegalArgumentException if {@code net} is neither a MultiLayerNetwork nor a ComputationGraph
     * @throws IllegalStateException    if it is not initialized, trains by gradient sharing, or holds x (saved
     *                                  inside an {@link EvalMode}: see {@link #restoreTrainingPoint})
     */
    public static void prepare(Model net) {
        List<Blocks.Block> blocks = Blocks.of(net);
        if (blocks.isEmpty()) {
            return;
        }
        if (Blocks.gradientsAccumulator(net) != null) {
            throw new IllegalStateException("schedule-free updaters do not support gradient sharing (a "
                    + "GradientsAccumulator is set: ParallelWrapper SHARED_GRADIENTS or Spark's SharedTrainingMaster): "
                    + "each worker applies the encoded updates of all workers, which the state (x - y) cannot follow");
        }
        UpdaterStates.recover(net);
        for (Blocks.Block b : blocks) {
            if (b.updater.holdsX()) {
                throw new IllegalStateException("net holds the averaged parameters x (it is inside a "
                        + "ScheduleFree.evalMode, or was saved inside one): close the EvalMode, or call "
                        + "ScheduleFree.restoreTrainingPoint(net) to continue training from a save made at x");
            }
        }
        INDArray params = Blocks.params(net);
        for (Blocks.Block b : blocks) {
            b.updater.attach(b.of(params));
        }
        UpdaterStates.remember(net);
    }

    /**
     * Swaps {@code net} to the averaged parameters x of every schedule-free block (PyTorch's
     * {@code optimizer.eval()}); the returned {@link EvalMode}'s {@code close()} restores y bit for bit. Other
     * layers keep their parameters.
     *
     * @throws NullPointerException     if {@code net} is null
     * @throws IllegalArgumentException if {@code net} is neither a MultiLayerNetwork nor a ComputationGraph, or
     *                                  has no schedule-free layer
     * @throws IllegalStateException    if it is not initialized or already holds x
     */
    public static EvalMode evalMode(Model net) {
        List<Blocks.Block> blocks = Blocks.of(net);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("net has no layer with a ScheduleFreeAdamW or ScheduleFreeSgd "
                    + "updater: there is no averaged x to evaluate at");
        }
        UpdaterStates.recover(net);
        for (Blocks.Block b : blocks) {
            if (b.updater.holdsX()) {
                throw new IllegalStateException("net already holds the averaged parameters x: an EvalMode is open "
                        + "on it (close it first), or it was saved inside one");
            }
        }
        UpdaterStates.remember(net);
        INDArray params = Blocks.params(net);
        INDArray y = params.dup();
        for (Blocks.Block b : blocks) {
            b.of(params).addi(b.updater.xMinusY());
            b.updater.setHoldsX(true);
        }
        return new EvalMode(net, params, y, blocks);
    }

    /**
     * For a network that holds x because it was saved inside an {@link EvalMode} (with its updater): computes
     * {@code y = x - (x - y)} for each such block (PyTorch's {@code optimizer.train()}; equal to the y of the
     * save up to rounding), marks the network as holding y and {@link #prepare}s it. Blocks holding y are left
     * as they are.
     *
     * @return whether any block held x
     * @throws NullPointerException     if {@code net} is null
     * @throws IllegalArgumentException if {@code net} is neither a MultiLayerNetwork nor a ComputationGraph
     * @throws IllegalStateException    as {@link #prepare}
     */
    public static boolean restoreTrainingPoint(Model net) {
        List<Blocks.Block> blocks = Blocks.of(net);
        UpdaterStates.recover(net);
        INDArray params = Blocks.params(net);
        boolean any = false;
        for (Blocks.Block b : blocks) {
            if (b.updater.holdsX()) {
                b.of(params).subi(b.updater.xMinusY());
                b.updater.setHoldsX(false);
                any = true;
            }
        }
        prepare(net);
        return any;
    }

    /**
     * A listener that {@link #prepare}s each network it sees before that network's first update (in
     * {@code onGradientCalculation}), and refuses gradient sharing: required under ParallelWrapper (whose worker
     * copies of the network a user cannot prepare), useful instead of calling {@code prepare} after every load.
     * Stateless and serializable; one instance may serve several networks and threads.
     */
    public static TrainingListener listener() {
        return new PreparingListener();
    }

    /**
     * A score calculator that scores at x: {@code calculator}'s score of the network inside an
     * {@link EvalMode}. For {@code EarlyStoppingConfiguration.Builder.scoreCalculator}.
     *
     * @throws NullPointerException if {@code calculator} is null
     */
    public static <T extends Model> ScoreCalculator<T> scoreAtX(ScoreCalculator<T> calculator) {
        return new EarlyStoppingAtX.Score<>(Objects.requireNonNull(calculator, "calculator"), null, 0);
    }

    /**
     * As {@link #scoreAtX(ScoreCalculator)}, with BatchNorm statistics recomputed at x over {@code bnBatches}
     * batches of {@code bnData} before scoring ({@link EvalMode#recomputeBatchNormStatistics}).
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code bnBatches < 1}
     */
    public static <T extends Model> ScoreCalculator<T> scoreAtX(ScoreCalculator<T> calculator, DataSetIterator bnData,
                                                                 int bnBatches) {
        return new EarlyStoppingAtX.Score<>(Objects.requireNonNull(calculator, "calculator"),
                Objects.requireNonNull(bnData, "bnData"), EvalMode.checkBatches(bnBatches));
    }

    /**
     * A model saver that saves at x: {@code saver} called inside an {@link EvalMode}, for the best and the
     * latest model. A saved model holds x; with its updater state it also remembers that, so training it
     * again needs {@link #restoreTrainingPoint}. For {@code EarlyStoppingConfiguration.Builder.modelSaver}.
     *
     * @throws NullPointerException if {@code saver} is null
     */
    public static <T extends Model> EarlyStoppingModelSaver<T> saveAtX(EarlyStoppingModelSaver<T> saver) {
        return new EarlyStoppingAtX.Save<>(Objects.requireNonNull(saver, "saver"), null, 0);
    }

    /**
     * As {@link #saveAtX(EarlyStoppingModelSaver)}, with BatchNorm statistics recomputed at x over
     * {@code bnBatches} batches of {@code bnData} before saving, so that the saved model carries them.
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code bnBatches < 1}
     */
    public static <T extends Model> EarlyStoppingModelSaver<T> saveAtX(EarlyStoppingModelSaver<T> saver,
                                                                      DataSetIterator bnData, int bnBatches) {
        return new EarlyStoppingAtX.Save<>(Objects.requireNonNull(saver, "saver"),
                Objects.requireNonNull(bnData, "bnData"), EvalMode.checkBatches(bnBatches));
    }

    /**
     * The network at its averaged parameters x, from {@link ScheduleFree#evalMode} until {@link #close()}, which
     * restores y bit for bit (all parameters, BatchNorm statistics included) and marks the network as training
     * again. Closing twice is harmless.
     */
    public static final class EvalMode implements AutoCloseable {
        private final Model net;
        private final INDArray params;
        private final INDArray y;
        private final List<Blocks.Block> blocks;
        private boolean closed;

        EvalMode(Model net, INDArray params, INDArray y, List<Blocks.Block> blocks) {
            this.net = net;
            this.params = params;
            this.y = y;
            this.blocks = blocks;
        }

        static int checkBatches(int batches) {
            if (batches < 1) {
                throw new IllegalArgumentException("batches (" + batches + ") must be >= 1");
            }
            return batches;
        }

        /**
         * Recomputes the running mean and variance of every {@code BatchNormalization} layer at x: the equal-weight
         * average of the statistics of the next {@code batches} batches of {@code data} (reset first if it has
         * none left, and reset afterwards when it supports it, so that the next {@code fit(data)} sees a whole
         * epoch: DL4J's {@code fit} resets only an exhausted iterator), as DL4J's training computes them (a training-mode forward and backward pass per batch,
         * dropout included; weights unchanged). Labels are needed (DL4J computes the statistics' update in its
         * backward pass). Costs one forward and backward pass per batch; the network's score and gradient then
         * belong to the last batch. Layers wrapped in a {@code FrozenLayer} keep theirs.
         *
         * @return the number of BatchNormalization layers updated
         * @throws NullPointerException     if {@code data} is null
         * @throws IllegalArgumentException if {@code batches < 1}
         * @throws IllegalStateException    if this EvalMode is closed or {@code data} has no batch
         */
        public int recomputeBatchNormStatistics(DataSetIterator data, int batches) {
            Objects.requireNonNull(data, "data");
            checkBatches(batches);
            checkOpen();
            return BatchNormStatistics.recompute(net, data, null, batches);
        }

        /**
         * As {@link #recomputeBatchNormStatistics(DataSetIterator, int)}, for a ComputationGraph fed by a
         * {@code MultiDataSetIterator}.
         *
         * @throws IllegalArgumentException also if the network is not a ComputationGraph
         */
        public int recomputeBatchNormStatistics(MultiDataSetIterator data, int batches) {
            Objects.requireNonNull(data, "data");
            checkBatches(batches);
            checkOpen();
            if (!(net instanceof ComputationGraph)) {
                throw new IllegalArgumentException("a MultiDataSetIterator feeds a ComputationGraph, not a "
                        + net.getClass().getSimpleName());
            }
            return BatchNormStatistics.recompute(net, null, data, batches);
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException("this EvalMode is closed: the network holds y again");
            }
        }

        /** Restores y bit for bit and marks the network as training. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            params.assign(y);
            for (Blocks.Block b : blocks) {
                b.updater.setHoldsX(false);
            }
            closed = true;
        }
    }
}
