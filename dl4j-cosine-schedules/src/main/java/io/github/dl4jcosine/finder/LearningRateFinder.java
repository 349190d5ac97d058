package io.github.dl4jcosine.finder;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The learning-rate range test (Smith, "Cyclical Learning Rates for Training Neural Networks", WACV 2017,
 * arXiv:1506.01186; fastai's {@code lr_find}, PyTorch Lightning's {@code Tuner.lr_find}): trains a copy of a network
 * for at most {@code steps} updates while the learning rate grows exponentially from {@code minValue} to
 * {@code maxValue}, records the loss of every update, and suggests a rate before the loss blows up, e.g. the peak
 * of a one-cycle or warmup-cosine schedule.
 *
 * <pre>{@code
 * LearningRateFinder finder = LearningRateFinder.builder()
 *         .minValue(1e-7).maxValue(10).steps(100)      // the defaults
 *         .smoothing(0.98).divergenceFactor(4.0)        // the defaults
 *         .build();
 * LearningRateFinder.Result r = finder.find(net, trainIter);
 * double peak = r.suggestion().orElse(1e-3);            // STEEPEST
 * r.writeCsv(Paths.get("lr-finder.csv"));
 * }</pre>
 *
 * <p><b>Sweep.</b> Update {@code k} (0-based) uses {@code lr_k = minValue * (maxValue/minValue)^(k/(steps-1))}
 * ({@code lr_0 = minValue}; {@code lr_(steps-1) = maxValue} up to rounding). One minibatch per update
 * ({@code fit(DataSet)} or {@code fit(MultiDataSet)} on the copy); the iterator is reset and reused when it runs out,
 * read ahead by a background thread if it allows it ({@code asyncSupported()}, as {@code fit(iterator)} does), and
 * reset once more after the sweep when it supports it. {@code losses()[k]} is the score DL4J reports for update
 * {@code k} ({@code score()}: the loss of that minibatch, regularization included, computed before its step).
 *
 * <p><b>Smoothing</b> (a debiased exponential moving average with {@code b = smoothing}):
 * {@code avg_k = b*avg_(k-1) + (1-b)*loss_k} with {@code avg_(-1) = 0}, {@code s_k = avg_k / (1 - b^(k+1))}
 * ({@code b = 0}: {@code s_k = loss_k}).
 *
 * <p><b>Stop rule.</b> After recording update {@code k} the sweep stops when {@code loss_k} is not finite, or when
 * {@code k >= 1} and {@code s_k > divergenceFactor * min(s_0 .. s_(k-1))} (the rule assumes losses {@code >= 0},
 * as DL4J's are). Otherwise it stops after {@code steps} updates.
 *
 * <p><b>Suggestions</b>: see {@link Suggestion}. A sweep whose loss is not finite from the first update gives a
 * result without suggestions, not an exception.
 *
 * <p><b>The caller's network is not changed</b>: its parameters, updater state (or its lack of one), iteration and
 * epoch counters, listeners and configuration are the same after {@code find}, bit for bit. The sweep trains one
 * copy (not DL4J's {@code clone()}, which shares configuration objects with the original): configuration rebuilt
 * from the network's JSON, parameters and updater state copied, no listeners (the caller's listeners are not
 * called during the sweep). The copy continues from the network's state and counters, as the next {@code fit}
 * would: Adam's moments and bias correction, a momentum schedule ({@code Nesterovs}) at its current position.
 * Memory: one copy of the network (parameters, gradients, updater state), garbage once {@code find} returns. Cost
 * per update: that of a plain {@code fit} of that copy (see docs/BENCHMARKS.md).
 *
 * <p><b>Every layer gets the sweep's rate.</b> Every updater in the copy that has a learning rate (Sgd,
 * Nesterovs, Adam, AdaMax, AMSGrad, Nadam, RmsProp, AdaGrad, and any {@code IUpdater} whose
 * {@code hasLearningRate()} is true), per-layer updaters and bias updaters included, follows the sweep: a layer's
 * own schedule or fixed rate is replaced in the copy (so layers that train at different rates, e.g. a fine-tuned
 * backbone at a tenth of the head's rate, all get {@code lr_k} during the test), and it is back, untouched, in the
 * caller's network. Updaters without a rate (AdaDelta, NoOp, frozen layers) keep doing what they do. Weight decay
 * with {@code applyLR} scales with the sweep's rate, as it does with a schedule. Momentum and other hyperparameter
 * schedules are not touched.
 *
 * <p><b>Bad input</b> ({@code IllegalArgumentException} naming the parameter): {@code minValue <= 0} or not finite,
 * {@code maxValue <= minValue} or not finite, {@code maxValue / minValue} not finite, {@code steps < 2},
 * {@code smoothing} outside {@code [0, 1)}, {@code divergenceFactor <= 1} or not finite, a null network or iterator,
 * a {@code DataSetIterator} for a graph without exactly one input and one output, an iterator without a single
 * batch (even after {@code reset()}) or that runs out and cannot be reset, a network without an updater that has a
 * learning rate or whose configuration does not survive its JSON round trip, {@code analyze} with null or more
 * losses than {@code steps}. Immutable and thread-safe.
 */
public final class LearningRateFinder {

    private final double minValue;
    private final double maxValue;
    private final int steps;
    private final double smoothing;
    private final double divergenceFactor;

    /**
     * @param minValue         rate of the first update, {@code > 0} and finite
     * @param maxValue         rate of update {@code steps - 1}, {@code > minValue}, {@code maxValue / minValue} finite
     * @param steps            most updates of a sweep, {@code >= 2}
     * @param smoothing        {@code b} of the moving average, in {@code [0, 1)}
     * @param divergenceFactor the stop rule's factor, {@code > 1} and finite
     * @throws IllegalArgumentException naming the first parameter out of range
     */
    public LearningRateFinder(double minValue, double maxValue, int steps, double smoothing,
                              double divergenceFactor) {
        if (!(minValue > 0) || !Double.isFinite(minValue)) {
            throw new IllegalArgumentException("minValue (" + minValue + ") must be > 0 and finite");
        }
        if (!(maxValue > minValue) || !Double.isFinite(maxValue)) {
            throw new IllegalArgumentException("maxValue (" + maxValue + ") must be > minValue (" + minValue
                    + ") and finite");
        }
        if (!Double.isFinite(maxValue / minValue)) {
            throw new IllegalArgumentException("maxValue / minValue (" + maxValue / minValue + ") must be finite");
        }
        if (steps < 2) {
            throw new IllegalArgumentException("steps (" + steps + ") must be >= 2");
        }
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("smoothing (" + smoothing + ") must be in [0, 1)");
        }
        if (!(divergenceFactor > 1) || !Double.isFinite(divergenceFactor)) {
            throw new IllegalArgumentException("divergenceFactor (" + divergenceFactor + ") must be > 1 and finite");
        }
        this.minValue = minValue;
        this.maxValue = maxValue;
        this.steps = steps;
        this.smoothing = smoothing;
        this.divergenceFactor = divergenceFactor;
    }

    /** A builder with the defaults: {@code 1e-7 .. 10} in 100 steps, smoothing 0.98, divergence factor 4. */
    public static Builder builder() {
        return new Builder();
    }

    /** Runs the sweep on a copy of {@code net}, one minibatch of {@code trainIter} per update (bad input: above). */
    public Result find(MultiLayerNetwork net, DataSetIterator trainIter) {
        return Sweeps.run(this, net, trainIter);
    }

    /** As {@link #find(MultiLayerNetwork, DataSetIterator)}, for a graph with one input and one output. */
    public Result find(ComputationGraph net, DataSetIterator trainIter) {
        return Sweeps.run(this, net, trainIter);
    }

    /** Runs the sweep on a copy of {@code net}, one minibatch of {@code trainIter} per update (bad input: above). */
    public Result find(ComputationGraph net, MultiDataSetIterator trainIter) {
        return Sweeps.run(this, net, trainIter);
    }

    /**
     * The result {@code find} gives when the network reports these losses: {@code losses[k]} is the loss of update
     * {@code k} at {@code lr_k}; the smoothing, the stop rule (losses after the update where it fires are not part
     * of the result, as {@code find} would not have made those updates) and the suggestions are the same code as
     * {@code find}'s. {@code analyze(r.losses())} equals {@code r} for a result {@code r} of this finder.
     *
     * @throws IllegalArgumentException if {@code losses} is null or has more than {@code steps} values
     */
    public Result analyze(double[] losses) {
        if (losses == null) {
            throw new IllegalArgumentException("losses (null) must not be null");
        }
        if (losses.length > steps) {
            throw new IllegalArgumentException("losses (" + losses.length + " values) must have at most steps ("
                    + steps + ") values");
        }
        Curve curve = new Curve(minValue, maxValue, steps, smoothing, divergenceFactor);
        for (double loss : losses) {
            if (curve.add(loss)) {
                break;
            }
        }
        return curve.result();
    }

    /** Rate of the first update. */
    public double minValue() {
        return minValue;
    }

    /** Rate of update {@code steps - 1}. */
    public double maxValue() {
        return maxValue;
    }

    /** Most updates of a sweep. */
    public int steps() {
        return steps;
    }

    /** {@code b} of the smoothed loss. */
    public double smoothing() {
        return smoothing;
    }

    /** The stop rule's factor. */
    public double divergenceFactor() {
        return divergenceFactor;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LearningRateFinder(minValue=%s, maxValue=%s, steps=%d, smoothing=%s,"
                + " divergenceFactor=%s)", minValue, maxValue, steps, smoothing, divergenceFactor);
    }

    /**
     * A suggested rate, computed from the smoothed losses {@code s} of the {@code n} recorded updates. Each needs at
     * least 2 usable points, else the result has none of it.
     */
    public enum Suggestion {
        /**
         * The rate where the smoothed loss falls fastest against the log of the rate (PyTorch Lightning's
         * suggestion): among the points {@code [10, n-1)} with a finite {@code s}, the one where
         * {@code numpy.gradient(s, log10(lr))} over those points is smallest (the first one on ties): with
         * {@code x = log10(lr)}, {@code h1 = x_i - x_(i-1)}, {@code h2 = x_(i+1) - x_i}, inside
         * {@code (h1^2 s_(i+1) - h2^2 s_(i-1) + (h2^2 - h1^2) s_i) / (h1 h2 (h1 + h2))}, at both ends one-sided
         * differences. The usual choice for the peak of a one-cycle or warmup-cosine schedule.
         */
        STEEPEST,
        /**
         * fastai's {@code valley}: on the points {@code [steps/10, n-5)} (integer division), cut at the first
         * non-finite {@code s}, with {@code len[i]} the length of the longest strictly decreasing subsequence of
         * {@code s} ending at point {@code i}, {@code e} the first point with the greatest {@code len} and
         * {@code L = len[e]}: the point {@code max(0, e - L + int(L/3) + int(L/6))}, counted from the window's first
         * point (the window's first point where that is negative). A rate inside the longest descent, more
         * conservative than STEEPEST on noisy curves.
         */
        VALLEY,
        /** The rate of the smallest finite {@code s}, divided by 10 (the classic rule of thumb). */
        MINIMUM
    }

    /**
     * What one sweep recorded, one entry per update made, and the suggestions computed from it. Immutable; the
     * arrays it returns are copies.
     */
    public static final class Result {
        private final double[] learningRates;
        private final double[] losses;
        private final double[] smoothedLosses;
        private final boolean stoppedEarly;
        private final int[] points;

        Result(double[] learningRates, double[] losses, double[] smoothedLosses, boolean stoppedEarly, int[] points) {
            this.learningRates = learningRates;
            this.losses = losses;
            this.smoothedLosses = smoothedLosses;
            this.stoppedEarly = stoppedEarly;
            this.points = points;
        }

        /** {@code lr_k} of every update made. */
        public double[] learningRates() {
            return learningRates.clone();
        }

        /** The score DL4J reported for every update made (computed before its step). */
        public double[] losses() {
            return losses.clone();
        }

        /** The smoothed losses {@code s_k}. */
        public double[] smoothedLosses() {
            return smoothedLosses.clone();
        }

        /**
         * Whether the stop rule ended the sweep: the last recorded loss was not finite or the smoothed loss
         * diverged there (this can be the last planned update). False when all {@code steps} updates ran without
         * it, and for {@code analyze} of a shorter curve that never met it.
         */
        public boolean stoppedEarly() {
            return stoppedEarly;
        }

        /** {@code suggestion(Suggestion.STEEPEST)}. */
        public OptionalDouble suggestion() {
            return suggestion(Suggestion.STEEPEST);
        }

        /** The suggested rate, or empty when the curve has fewer than 2 usable points for it. */
        public OptionalDouble suggestion(Suggestion kind) {
            int p = points[checked(kind).ordinal()];
            if (p < 0) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(kind == Suggestion.MINIMUM ? learningRates[p] / 10 : learningRates[p]);
        }

        /**
         * The index of the update a suggestion comes from (for MINIMUM the point of the smallest smoothed loss,
         * whose rate is ten times the suggestion), or empty.
         */
        public OptionalInt point(Suggestion kind) {
            int p = points[checked(kind).ordinal()];
            return p < 0 ? OptionalInt.empty() : OptionalInt.of(p);
        }

        private static Suggestion checked(Suggestion kind) {
            if (kind == null) {
                throw new IllegalArgumentException("kind (null) must not be null");
            }
            return kind;
        }

        /**
         * {@code update,learningRate,loss,smoothedLoss}, one row per update, full precision ({@code Double.toString};
         * a loss that is not finite reads {@code NaN}, {@code Infinity} or {@code -Infinity}), with a header line.
         */
        public String toCsv() {
            StringBuilder out = new StringBuilder(32 + 64 * losses.length);
            writeCsv(out);
            return out.toString();
        }

        /** Writes {@link #toCsv()} to {@code out} (a {@code Writer}, {@code StringBuilder}, ...). */
        public void writeCsv(Appendable out) {
            ResultCsv.write(this, out);
        }

        /**
         * Writes {@link #toCsv()} to {@code file}: to a temporary file in its folder first, then moved to the name
         * in one atomic rename, so the file holds either its previous content or the whole CSV, never a part.
         *
         * @throws IOException if the folder cannot be written
         */
        public void writeCsv(Path file) throws IOException {
            ResultCsv.write(this, file);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Result)) {
                return false;
            }
            Result r = (Result) o;
            return stoppedEarly == r.stoppedEarly && Arrays.equals(learningRates, r.learningRates)
                    && Arrays.equals(losses, r.losses) && Arrays.equals(smoothedLosses, r.smoothedLosses)
                    && Arrays.equals(points, r.points);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(losses) + Arrays.hashCode(learningRates);
        }

        /** The number of updates, whether it stopped early, and the suggestions. */
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("Result(updates=").append(losses.length).append(", stoppedEarly=")
                    .append(stoppedEarly);
            for (Suggestion kind : Suggestion.values()) {
                OptionalDouble v = suggestion(kind);
                s.append(", ").append(kind).append('=').append(v.isPresent()
                        ? String.format(Locale.ROOT, "%.4g (update %d)", v.getAsDouble(), points[kind.ordinal()])
                        : "none");
            }
            return s.append(')').toString();
        }
    }

    /** Builds a {@link LearningRateFinder}; unset values keep the defaults. */
    public static final class Builder {
        private double minValue = 1e-7;
        private double maxValue = 10;
        private int steps = 100;
        private double smoothing = 0.98;
        private double divergenceFactor = 4.0;

        private Builder() {
        }

        /** Rate of the first update (default 1e-7). */
        public Builder minValue(double minValue) {
            this.minValue = minValue;
            return this;
        }

        /** Rate of update {@code steps - 1} (default 10). */
        public Builder maxValue(double maxValue) {
            this.maxValue = maxValue;
            return this;
        }

        /** Most updates (default 100). */
        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        /** {@code b} of the smoothed loss (default 0.98). */
        public Builder smoothing(double smoothing) {
            this.smoothing = smoothing;
            return this;
        }

        /** The stop rule's factor (default 4). */
        public Builder divergenceFactor(double divergenceFactor) {
            this.divergenceFactor = divergenceFactor;
            return this;
        }

        /** @throws IllegalArgumentException as the constructor */
        public LearningRateFinder build() {
            return new LearningRateFinder(minValue, maxValue, steps, smoothing, divergenceFactor);
        }
    }
}
