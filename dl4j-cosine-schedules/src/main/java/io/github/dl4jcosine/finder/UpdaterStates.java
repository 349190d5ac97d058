package io.github.dl4jcosine.finder;

import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The copy's updater: its state taken from the original's, and the sweep's rate put into it. */
final class UpdaterStates {

    private UpdaterStates() {
    }

    /**
     * Copies the updater state of {@code from} (null: the original has no updater yet, and the copy keeps the fresh
     * state the original would get) into {@code to}. The two usually have the same blocks and the flat arrays are
     * copied as they are; where DL4J grouped the parameters into blocks differently (updater configurations equal in
     * one network and not in its JSON copy, such as a schedule without {@code equals}), the state is copied parameter
     * by parameter, as DL4J lays it out inside a block: {@code k} slices of the block's length ({@code k = 1, 2, 3}
     * per updater), the parameters in order within each slice.
     */
    static void copy(BaseMultiLayerUpdater<?> from, BaseMultiLayerUpdater<?> to) {
        if (from == null) {
            return;
        }
        INDArray source = from.getStateViewArray();
        INDArray target = to.getStateViewArray();
        long sourceLength = source == null ? 0 : source.length();
        long targetLength = target == null ? 0 : target.length();
        if (sourceLength != targetLength) {
            throw new IllegalStateException("the copy's updater state has " + targetLength + " values, the network's "
                    + sourceLength);
        }
        if (sourceLength == 0) {
            return;
        }
        if (sameLayout(from.getUpdaterBlocks(), to.getUpdaterBlocks())) {
            target.assign(source);
            return;
        }
        Map<Integer, INDArray[]> slices = new HashMap<>();
        forEachParameter(from.getUpdaterBlocks(), (offset, parts) -> slices.put(offset, parts));
        forEachParameter(to.getUpdaterBlocks(), (offset, parts) -> {
            INDArray[] sourceParts = slices.get(offset);
            if (sourceParts == null || sourceParts.length != parts.length) {
                throw new IllegalStateException("the copy's updater state for the parameter at offset " + offset
                        + " does not match the network's");
            }
            for (int i = 0; i < parts.length; i++) {
                parts[i].assign(sourceParts[i]);
            }
        });
    }

    private static boolean sameLayout(List<UpdaterBlock> a, List<UpdaterBlock> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            UpdaterBlock x = a.get(i);
            UpdaterBlock y = b.get(i);
            if (x.getParamOffsetStart() != y.getParamOffsetStart() || x.getParamOffsetEnd() != y.getParamOffsetEnd()
                    || x.getUpdaterViewOffsetStart() != y.getUpdaterViewOffsetStart()
                    || x.getUpdaterViewOffsetEnd() != y.getUpdaterViewOffsetEnd()) {
                return false;
            }
        }
        return true;
    }

    private interface ParameterState {
        void accept(int paramOffset, INDArray[] parts);
    }

    /** Each parameter with state: its offset in the flat parameters, and its slices of the block's state. */
    private static void forEachParameter(List<UpdaterBlock> blocks, ParameterState action) {
        for (UpdaterBlock block : blocks) {
            long params = (long) block.getParamOffsetEnd() - block.getParamOffsetStart();
            long state = (long) block.getUpdaterViewOffsetEnd() - block.getUpdaterViewOffsetStart();
            if (params == 0 || state == 0) {
                continue;
            }
            if (state % params != 0) {
                throw new IllegalStateException("updater state of " + state + " values for " + params
                        + " parameters: not a whole number of slices");
            }
            int k = (int) (state / params);
            INDArray view = block.getUpdaterView();
            view = view.reshape(view.length());
            for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
                long start = (long) p.getParamOffsetStart() - block.getParamOffsetStart();
                long length = (long) p.getParamOffsetEnd() - p.getParamOffsetStart();
                if (length == 0) {
                    continue;
                }
                INDArray[] parts = new INDArray[k];
                for (int j = 0; j < k; j++) {
                    long from = j * params + start;
                    parts[j] = view.get(NDArrayIndex.interval(from, from + length));
                }
                action.accept(p.getParamOffsetStart(), parts);
            }
        }
    }

    /**
     * Puts {@code schedule} into every updater of {@code updater} that has a learning rate: the configuration each
     * block's gradient updater reads its rate from (which also scales regularization such as weight decay), and the
     * per-parameter configurations of the layers in the block (bias updaters included). Returns how many blocks now
     * follow the schedule.
     */
    static int installRate(BaseMultiLayerUpdater<?> updater, ISchedule schedule) {
        int blocks = 0;
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            IUpdater config = block.getGradientUpdater().getConfig();
            if (config.hasLearningRate()) {
                config.setLrAndSchedule(Double.NaN, schedule);
                blocks++;
            }
            for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
                IUpdater own = p.getLayer().getConfig().getUpdaterByParam(p.getParamName());
                if (own != null && own != config && own.hasLearningRate()) {
                    own.setLrAndSchedule(Double.NaN, schedule);
                }
            }
        }
        return blocks;
    }
}
