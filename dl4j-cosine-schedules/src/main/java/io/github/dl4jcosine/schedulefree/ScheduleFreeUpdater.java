package io.github.dl4jcosine.schedulefree;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@link GradientUpdater} of {@link ScheduleFreeAdamW} and {@link ScheduleFreeSgd}: one per DL4J updater
 * block (or per SameDiff variable). State layout in the block's view of length {@code L}:
 * <pre>{@code
 * [0, 5)            counters: k (2 slots), T = sum of weights / last weight (2 slots), mode (1 slot)
 * [5, 5 + n)        e = x - y
 * [5 + n, 5 + 2n)   v (AdamW only)
 * rest              unused: DL4J sums stateSize over the block's parameter arrays, 5 slots each
 * }</pre>
 * where {@code n} is the block's parameter count, known from the first gradient (or from
 * {@link ScheduleFree}, which knows the block's range). A counter is stored as {@code hi + lo}, {@code hi} the
 * value rounded to the state's type and {@code lo} the rest, so that FLOAT state keeps about 48 bits (exact
 * step counts up to 2^48); in DOUBLE state {@code lo} is 0. Mode 1 means the network holds x (inside
 * {@link ScheduleFree#evalMode}, or saved from there): no step is taken then.
 */
final class ScheduleFreeUpdater implements GradientUpdater<IUpdater> {

    /** Counter slots at the start of each state view. */
    static final int SLOTS = 5;
    static final String COUNTERS = "counters";
    static final String X_MINUS_Y = "xMinusY";
    static final String SECOND_MOMENT = "v";

    private static final int K = 0;
    private static final int T = 2;
    private static final int MODE = 4;

    private final IUpdater config;
    private final Hyper h;
    /** The whole state view (DL4J's block view), or null with a SameDiff state map. */
    private INDArray view;
    private INDArray counters;
    private INDArray xMinusY;
    private INDArray v;
    /** y: the block's parameters, attached by {@link ScheduleFree#prepare}; needed with weight decay. */
    private INDArray params;
    private boolean threadChecked;
    /** Tests only: always take ND4J's operations, never the fused CPU pass. */
    private boolean genericKernel;

    ScheduleFreeUpdater(ScheduleFreeAdamW config, INDArray viewArray, boolean initialize) {
        this(config, config.hyper(), viewArray, initialize);
    }

    ScheduleFreeUpdater(ScheduleFreeSgd config, INDArray viewArray, boolean initialize) {
        this(config, config.hyper(), viewArray, initialize);
    }

    ScheduleFreeUpdater(ScheduleFreeAdamW config, Map<String, INDArray> state, boolean initialize) {
        this.config = config;
        this.h = config.hyper();
        setState(state, initialize);
    }

    ScheduleFreeUpdater(ScheduleFreeSgd config, Map<String, INDArray> state, boolean initialize) {
        this.config = config;
        this.h = config.hyper();
        setState(state, initialize);
    }

    private ScheduleFreeUpdater(IUpdater config, Hyper h, INDArray viewArray, boolean initialize) {
        this.config = config;
        this.h = h;
        if (viewArray == null) {
            throw new IllegalArgumentException(h.name + ": the updater state view must not be null");
        }
        this.view = flat(viewArray);
        if (initialize) {
            view.assign(0);
        }
    }

    private static INDArray flat(INDArray a) {
        return a.rank() == 1 ? a : a.reshape(a.length());
    }

    @Override
    public IUpdater getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        int expected = h.adam ? 3 : 2;
        if (stateMap == null || stateMap.size() != expected || !stateMap.containsKey(COUNTERS)
                || !stateMap.containsKey(X_MINUS_Y) || (h.adam && !stateMap.containsKey(SECOND_MOMENT))) {
            throw new IllegalStateException(h.name + ": the state map must hold exactly the keys " + COUNTERS
                    + ", " + X_MINUS_Y + (h.adam ? ", " + SECOND_MOMENT : "") + "; got "
                    + (stateMap == null ? null : stateMap.keySet()));
        }
        view = null;
        counters = flat(stateMap.get(COUNTERS));
        xMinusY = stateMap.get(X_MINUS_Y);
        v = h.adam ? stateMap.get(SECOND_MOMENT) : null;
        if (counters.length() != SLOTS || (v != null && v.length() != xMinusY.length())) {
            throw new IllegalStateException(h.name + ": state arrays of lengths " + counters.length() + ", "
                    + xMinusY.length() + (v == null ? "" : ", " + v.length()) + " do not fit (" + SLOTS + ", n"
                    + (h.adam ? ", n)" : ")"));
        }
        if (initialize) {
            counters.assign(0);
            xMinusY.assign(0);
            if (v != null) {
                v.assign(0);
            }
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        if (xMinusY == null) {
            throw new IllegalStateException(h.name + ": the state is not laid out yet (no update and no "
                    + "setStateViewArray with the gradient's shape)");
        }
        Map<String, INDArray> state = new HashMap<>();
        state.put(COUNTERS, counters);
        state.put(X_MINUS_Y, xMinusY);
        if (v != null) {
            state.put(SECOND_MOMENT, v);
        }
        return state;
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        view = flat(viewArray);
        counters = null;
        xMinusY = null;
        v = null;
        if (initialize) {
            view.assign(0);
        }
        bind(Shape.lengthOf(gradientShape));
    }

    /** Lays the state out for {@code n} parameters (once; later calls check that {@code n} is the same). */
    void bind(long n) {
        if (xMinusY != null) {
            if (xMinusY.length() != n) {
                throw new IllegalStateException(h.name + ": this updater's state is for " + xMinusY.length()
                        + " parameters, not " + n);
            }
            return;
        }
        long perParam = h.adam ? 2 : 1;
        long length = view.length();
        if (n <= 0 || length < SLOTS + perParam * n || (length - perParam * n) % SLOTS != 0) {
            throw new IllegalStateException(h.name + ": an updater state of length " + length + " does not fit "
                    + n + " parameters (expected " + perParam + " * n + " + SLOTS + " per parameter array)");
        }
        counters = view.get(NDArrayIndex.interval(0, SLOTS));
        xMinusY = view.get(NDArrayIndex.interval(SLOTS, SLOTS + n));
        v = h.adam ? view.get(NDArrayIndex.interval(SLOTS + n, SLOTS + 2 * n)) : null;
    }

    /**
     * Turns the gradient (taken at y) into the update DL4J subtracts from y, in place; advances the state.
     *
     * @throws IllegalStateException when weight decay needs y and {@link ScheduleFree#prepare} was not called,
     *                               when the network holds x (evaluation mode), or under a ParallelWrapper
     *                               setup that cannot keep the state right
     */
    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (!threadChecked) {
            ParallelGuard.check(h.name, params != null);
            threadChecked = true;
        }
        long n = gradient.length();
        bind(n);
        if (holdsX()) {
            throw new IllegalStateException(h.name + ": the network holds the averaged parameters x (a "
                    + "ScheduleFree.evalMode is open, or the network was saved inside one): close the EvalMode before "
                    + "training, or call ScheduleFree.restoreTrainingPoint(net) on a network loaded from such a save");
        }
        INDArray y = null;
        if (h.weightDecay != 0) {
            if (params == null) {
                throw new IllegalStateException(h.name + " with weightDecay " + h.weightDecay + " takes the decay at "
                        + "the parameters y, which DL4J does not give to an updater: call ScheduleFree.prepare(net) "
                        + "after init() and after loading or cloning the network, before fit (or add "
                        + "ScheduleFree.listener() to the network's or ParallelWrapper's listeners)");
            }
            y = params;
        }
        INDArray g = gradient.rank() == 1 ? gradient : Shape.newShapeNoCopy(gradient, new long[] {n},
                gradient.ordering() == 'f');
        if (g == null) {
            throw new IllegalStateException(h.name + ": the gradient of shape "
                    + java.util.Arrays.toString(gradient.shape()) + " is not contiguous");
        }
        long k = (long) counter(K);
        double sum = h.sumRatio(k, counter(T));
        double c = 1 / sum;
        double lr = Hyper.scheduledRate(h.learningRate, k, h.warmupSteps);
        Kernels.Step step = Kernels.Step.of(c, h.beta, lr, h.adam ? 1 - Math.pow(h.beta2, k + 1) : 1);
        if (genericKernel) {
            Kernels.generic(h, step, g, xMinusY, v, y);
        } else {
            Kernels.step(h, step, g, xMinusY, v, y);
        }
        setCounter(K, k + 1);
        setCounter(T, sum);
    }

    private double counter(int slot) {
        return counters.getDouble(slot) + counters.getDouble(slot + 1);
    }

    private void setCounter(int slot, double value) {
        counters.putScalar(slot, value);
        double hi = counters.getDouble(slot);
        counters.putScalar(slot + 1, value - hi);
    }

    Hyper hyper() {
        return h;
    }

    /** x - y (bound); for {@link ScheduleFree}. */
    INDArray xMinusY() {
        return xMinusY;
    }

    /** Updates taken so far. */
    long steps() {
        return (long) counter(K);
    }

    boolean holdsX() {
        return counters.getDouble(MODE) != 0;
    }

    void setHoldsX(boolean x) {
        counters.putScalar(MODE, x ? 1 : 0);
    }

    boolean needsParameters() {
        return h.weightDecay != 0;
    }

    /** Whether {@link #attach} gave this updater its parameters. */
    boolean prepared() {
        return params != null;
    }

    /** Tests only: compute with ND4J's operations instead of the fused CPU pass. */
    void useGenericKernel(boolean generic) {
        genericKernel = generic;
    }

    /** The block's parameters y: a view of the network's parameter vector, read at every update. */
    void attach(INDArray blockParams) {
        params = blockParams;
    }
}
