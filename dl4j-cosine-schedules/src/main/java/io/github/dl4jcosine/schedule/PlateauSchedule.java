package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.util.Collections;
import java.util.Objects;

/**
 * Reduce on plateau (PyTorch {@code ReduceLROnPlateau}) on top of any schedule:
 * the base schedule's value times a multiplier that drops by {@code factor} whenever the reported metric stops
 * improving. With a constant base this is PyTorch 1.13's rate, report by report; with a warmup or a cosine base
 * it is the combination PyTorch's scheduler cannot make.
 *
 * <pre>{@code
 * value(iteration, epoch) = base(iteration, epoch) * m(iteration)
 * m(iteration) = 1 before the first reduction, m_k from reduction k's iteration on
 * }</pre>
 * A {@link #report(int, int, double) report} is one PyTorch {@code step(metric)}, made after {@code iteration}
 * updates (so update {@code iteration} is the first it can change):
 * <ul>
 *   <li>better: {@code MIN, RELATIVE}: {@code metric < best * (1 - threshold)}; {@code MIN, ABSOLUTE}:
 *       {@code metric < best - threshold}; {@code MAX, RELATIVE}: {@code metric > best * (1 + threshold)};
 *       {@code MAX, ABSOLUTE}: {@code metric > best + threshold}. A better metric becomes {@code best} and
 *       resets the bad count to 0, any other (NaN included) adds 1; {@code best} starts at {@code +Infinity}
 *       ({@code -Infinity} for {@code MAX});</li>
 *   <li>during a cooldown the bad count is set to 0 and the cooldown counts down by one;</li>
 *   <li>a bad count above {@code patience} reduces: with {@code b = base(iteration, epoch)} and {@code m} the
 *       current multiplier, the new multiplier is {@code max(b * m * factor, minValue) / b}, applied to every
 *       update at or after {@code iteration}; it is skipped unless it lowers the rate {@code b * m} by more than
 *       {@code eps} (PyTorch's {@code old_lr - new_lr > eps}). Either way the bad count returns to 0 and the
 *       cooldown starts ({@code cooldown} reports).</li>
 * </ul>
 * Updates before a report keep their values: a reduction never changes the past. {@code minValue} is PyTorch's
 * {@code min_lr} at the reduction ({@code b * m_k >= minValue} there; a decaying base may later go lower).
 * Defaults are PyTorch's: {@code MIN}, factor 0.1, patience 10, threshold 1e-4, {@code RELATIVE}, cooldown 0,
 * minValue 0, eps 1e-8.
 *
 * <pre>{@code
 * // 2 epochs of warmup to 1e-3 (moving every update), then reduce by 10x after 3 epochs without a better
 * // validation loss
 * PlateauSchedule lr = PlateauSchedule.builder(new LinearWarmupSchedule(ScheduleType.EPOCH, 2, 0.0,
 *         new FixedSchedule(1e-3), iterationsPerEpoch)).patience(3).build();
 * net = ... new Adam(lr) ...;
 * net.addListeners(new PlateauListener(new DataSetLossCalculator(validationData, true)));
 * }</pre>
 *
 * <p><b>State.</b> Unlike the other schedules this one changes: {@link #report} moves its {@link PlateauState},
 * which is part of its JSON ({@code "state"}), of {@code equals}, {@code hashCode} and {@code toString}. A model
 * saved by {@code ModelSerializer} carries it and, loaded, continues exactly. {@code clone()} copies it.
 * {@code valueAt} reads one immutable snapshot, never a half-made one; reports are serialized, and seen at once by
 * the reporting thread (DL4J runs listeners on the training thread), by others once they synchronize with it
 * ({@link #getState()} does). After JSON (a loaded model) every layer holds its own equal copy: report to
 * each ({@code PlateauListener} does). Cannot be wrapped by {@link LinearWarmupSchedule} or
 * {@link SequentialSchedule}, which shift time: put the warmup inside, as the base.
 */
@JsonDeserialize(using = StrictJson.class)
public final class PlateauSchedule implements ISchedule, BoundedSchedule {

    private static final long serialVersionUID = 20261205L;

    /** Whether a smaller ({@code MIN}, a loss) or a larger ({@code MAX}, an accuracy) metric is better. */
    public enum Mode { MIN, MAX }

    /** Whether {@code threshold} is a fraction of {@code best} ({@code RELATIVE}) or in the metric's unit. */
    public enum ThresholdMode { RELATIVE, ABSOLUTE }

    private final ISchedule base;
    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final double minValue;
    private final double eps;
    /** The base's largest value: derived, never in JSON. */
    @JsonIgnore
    private final double largest;
    /**
     * The state, in a one-element array held by a final field: every thread that sees this object sees at least the
     * state it was made with, and {@code valueAt} reads the element without a memory barrier (a volatile read cost
     * more than the rest of {@code valueAt} in PlateauBenchmark). Replaced as a whole under this object's lock.
     */
    private final PlateauState[] current = new PlateauState[1];

    /**
     * @param base          the schedule to reduce: any {@link ISchedule} (a warmup, a cosine, DL4J's
     *                      {@code FixedSchedule}, ...), not null, its values in {@code [0, Double.MAX_VALUE / 2]}
     * @param mode          {@code MIN} or {@code MAX}, not null (PyTorch {@code mode})
     * @param factor        multiplier of a reduction, in {@code (0, 1)}
     * @param patience      bad reports tolerated before a reduction, {@code >= 0}
     * @param threshold     how much better counts as better, finite, {@code >= 0}
     * @param thresholdMode {@code RELATIVE} or {@code ABSOLUTE}, not null (PyTorch {@code threshold_mode})
     * @param cooldown      reports after a reduction during which bad reports are not counted, {@code >= 0}
     * @param minValue      the lowest rate a reduction sets (PyTorch {@code min_lr}), in {@code [0, Double.MAX_VALUE / 2]}
     * @param eps           smallest change of the rate a reduction must make, finite, {@code >= 0}
     * @param state         the state to start from, or null for a fresh one (no report yet); its
     *                      {@code badCount <= patience} and {@code cooldownLeft <= cooldown}
     * @throws IllegalArgumentException naming the parameter, if any rule above is broken
     */
    @JsonCreator
    public PlateauSchedule(@JsonProperty(value = "base", required = true) ISchedule base,
                           @JsonProperty(value = "mode", required = true) Mode mode,
                           @JsonProperty(value = "factor", required = true) double factor,
                           @JsonProperty(value = "patience", required = true) int patience,
                           @JsonProperty(value = "threshold", required = true) double threshold,
                           @JsonProperty(value = "thresholdMode", required = true) ThresholdMode thresholdMode,
                           @JsonProperty(value = "cooldown", required = true) int cooldown,
                           @JsonProperty(value = "minValue", required = true) double minValue,
                           @JsonProperty(value = "eps", required = true) double eps,
                           @JsonProperty("state") PlateauState state) {
        this.base = Checks.notNull("base", base);
        this.mode = Checks.notNull("mode", mode);
        Checks.argument(factor > 0 && factor < 1, "factor (" + factor + ") must be in (0, 1)");
        this.factor = factor;
        this.patience = Checks.nonNegative("patience", patience);
        this.threshold = Checks.nonNegativeFinite("threshold", threshold);
        this.thresholdMode = Checks.notNull("thresholdMode", thresholdMode);
        this.cooldown = Checks.nonNegative("cooldown", cooldown);
        this.minValue = Checks.value("minValue", minValue);
        this.eps = Checks.nonNegativeFinite("eps", eps);
        Nesting.checkDepth("base", Collections.singletonList(base));
        this.largest = ValueBounds.largest("base", base);
        PlateauState s = state == null ? PlateauState.initial(mode) : state;
        Checks.argument(s.getBadCount() <= patience, "state.badCount (" + s.getBadCount() + ") must be <= patience ("
                + patience + "): a reduction resets it");
        Checks.argument(s.getCooldownLeft() <= cooldown, "state.cooldownLeft (" + s.getCooldownLeft()
                + ") must be <= cooldown (" + cooldown + ")");
        this.current[0] = s;
    }

    /** A builder with PyTorch's defaults for a reduce-on-plateau over {@code base}. */
    public static Builder builder(ISchedule base) {
        return new Builder(Checks.notNull("base", base));
    }

    /** Builds a {@link PlateauSchedule}; starts from PyTorch's defaults, checks everything in {@link #build()}. */
    public static final class Builder {
        private final ISchedule base;
        private Mode mode = Mode.MIN;
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private ThresholdMode thresholdMode = ThresholdMode.RELATIVE;
        private int cooldown;
        private double minValue;
        private double eps = 1e-8;

        private Builder(ISchedule base) {
            this.base = base;
        }

        /** {@code MIN} (default: a loss) or {@code MAX} (an accuracy). */
        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** Multiplier of a reduction, in {@code (0, 1)}; default 0.1. */
        public Builder factor(double factor) {
            this.factor = factor;
            return this;
        }

        /** Bad reports tolerated before a reduction, {@code >= 0}; default 10. */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /** How much better counts as better, {@code >= 0}; default 1e-4. */
        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /** {@code RELATIVE} (default) or {@code ABSOLUTE}. */
        public Builder thresholdMode(ThresholdMode thresholdMode) {
            this.thresholdMode = thresholdMode;
            return this;
        }

        /** Reports after a reduction that are not counted, {@code >= 0}; default 0. */
        public Builder cooldown(int cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        /** The lowest rate a reduction sets, {@code >= 0}; default 0. */
        public Builder minValue(double minValue) {
            this.minValue = minValue;
            return this;
        }

        /** Smallest change of the rate a reduction must make, {@code >= 0}; default 1e-8. */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** @throws IllegalArgumentException naming the parameter, as the constructor */
        public PlateauSchedule build() {
            return new PlateauSchedule(base, mode, factor, patience, threshold, thresholdMode, cooldown, minValue, eps,
                    null);
        }
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        PlateauState s = current[0];
        double value = base.valueAt(iteration, epoch);
        return iteration >= s.lastReduction() ? value * s.lastMultiplier() : value * s.multiplierAt(iteration);
    }

    /**
     * One PyTorch {@code step(metric)} after {@code iteration} updates, for a base whose value does not depend on
     * DL4J's epoch counter (ITERATION time, a constant): {@link #report(int, int, double)} with epoch 0.
     *
     * @return whether the rate was reduced
     * @throws IllegalStateException    if the base is known to read the epoch counter (EPOCH time): give the epoch
     * @throws IllegalArgumentException if {@code iteration} is negative or before the last report's
     */
    public boolean report(int iteration, double metric) {
        if (Units.readsEpoch(base)) {
            throw new IllegalStateException("PlateauSchedule.report(iteration, metric): the base schedule (" + base
                    + ") reads the epoch counter; use report(iteration, epoch, metric) with the epoch of update"
                    + " iteration");
        }
        return report(iteration, 0, metric);
    }

    /**
     * One PyTorch {@code step(metric)}: the metric seen after {@code iteration} updates, reported before update
     * {@code iteration}, whose counters are {@code (iteration, epoch)} (at the end of a DL4J epoch: the network's
     * iteration count and its epoch count + 1). Any metric is accepted; NaN never improves.
     *
     * @return whether the rate was reduced (from update {@code iteration} on)
     * @throws IllegalArgumentException if {@code iteration} or {@code epoch} is negative, or {@code iteration} is
     *                                  before the last report's: reports must not go back in time
     */
    public synchronized boolean report(int iteration, int epoch, double metric) {
        PlateauState s = current[0];
        Checks.nonNegative("iteration", iteration);
        Checks.nonNegative("epoch", epoch);
        Checks.argument(iteration >= s.getLastReportIteration(), "iteration (" + iteration + ") must be >= the last"
                + " report's iteration (" + s.getLastReportIteration() + "): reports must not go back in time");
        boolean better = isBetter(metric, s.getBest());
        double best = better ? metric : s.getBest();
        long bad = better ? 0 : s.getBadCount() + 1L;
        int cooldownLeft = s.getCooldownLeft();
        if (cooldownLeft > 0) {
            cooldownLeft--;
            bad = 0;
        }
        boolean reduce = false;
        double multiplier = 0;
        if (bad > patience) {
            double b = base.valueAt(iteration, epoch);
            double old = b * s.lastMultiplier();
            double next = Math.max(old * factor, minValue);
            if (old - next > eps) {   // so old > next >= 0: b > 0
                reduce = true;
                multiplier = next / b;
            }
            cooldownLeft = cooldown;
            bad = 0;
        }
        current[0] = s.next(best, (int) bad, cooldownLeft, iteration, reduce, multiplier);
        return reduce;
    }

    /** PyTorch's {@code is_better(a, best)}, with its operations. */
    private boolean isBetter(double a, double best) {
        if (mode == Mode.MIN) {
            return thresholdMode == ThresholdMode.RELATIVE ? a < best * (1. - threshold) : a < best - threshold;
        }
        return thresholdMode == ThresholdMode.RELATIVE ? a > best * (threshold + 1.) : a > best + threshold;
    }

    /** The multiplier of the base's value at update {@code iteration}: 1 before the first reduction. */
    public double multiplierAt(int iteration) {
        return current[0].multiplierAt(iteration);
    }

    /** The largest value this schedule gives: its base's (a multiplier is at most 1). */
    @Override
    public double largestValue() {
        return largest;
    }

    @Override
    public ISchedule clone() {
        return new PlateauSchedule(base.clone(), mode, factor, patience, threshold, thresholdMode, cooldown, minValue,
                eps, getState());
    }

    /** Java serialization keeps the JSON properties; the derived field is recomputed (and everything rechecked). */
    private Object readResolve() {
        return new PlateauSchedule(base, mode, factor, patience, threshold, thresholdMode, cooldown, minValue, eps,
                getState());
    }

    public ISchedule getBase() {
        return base;
    }

    public Mode getMode() {
        return mode;
    }

    public double getFactor() {
        return factor;
    }

    public int getPatience() {
        return patience;
    }

    public double getThreshold() {
        return threshold;
    }

    public ThresholdMode getThresholdMode() {
        return thresholdMode;
    }

    public int getCooldown() {
        return cooldown;
    }

    public double getMinValue() {
        return minValue;
    }

    public double getEps() {
        return eps;
    }

    /** What the reports so far have done: one consistent snapshot. */
    public synchronized PlateauState getState() {
        return current[0];
    }

    /** Same configuration, equal base and equal state (so equal values at every update). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PlateauSchedule)) {
            return false;
        }
        PlateauSchedule that = (PlateauSchedule) o;
        return base.equals(that.base)
                && mode == that.mode
                && Double.compare(factor, that.factor) == 0
                && patience == that.patience
                && Double.compare(threshold, that.threshold) == 0
                && thresholdMode == that.thresholdMode
                && cooldown == that.cooldown
                && Double.compare(minValue, that.minValue) == 0
                && Double.compare(eps, that.eps) == 0
                && getState().equals(that.getState());
    }

    /** Changes with the state, like {@code equals}: do not keep a PlateauSchedule in a hash set while reporting. */
    @Override
    public int hashCode() {
        return Objects.hash(base, mode, factor, patience, threshold, thresholdMode, cooldown, minValue, eps,
                getState());
    }

    @Override
    public String toString() {
        return "PlateauSchedule(base=" + base + ", mode=" + mode + ", factor=" + factor + ", patience=" + patience
                + ", threshold=" + threshold + ", thresholdMode=" + thresholdMode + ", cooldown=" + cooldown
                + ", minValue=" + minValue + ", eps=" + eps + ", state=" + getState() + ")";
    }
}
