package io.github.dl4jcosine.schedule;

import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What a {@link PlateauSchedule} has learnt from the reports so far, as one immutable snapshot: PyTorch
 * {@code ReduceLROnPlateau}'s {@code best}, {@code num_bad_epochs} and {@code cooldown_counter}, the
 * iteration of the last report, and the reductions made. It is the {@code "state"} object in the schedule's
 * JSON, so a model saved mid-run continues exactly where it stopped.
 *
 * <p>Reduction {@code k} took effect at update {@code reductionIterations[k]}: from that update on, the
 * schedule's value is its base's value times {@code reductionMultipliers[k]} (until the next reduction);
 * before the first reduction the multiplier is 1. The iterations never decrease, the multipliers strictly
 * decrease and lie in {@code [0, 1)}.
 *
 * <pre>{@code
 * "state" : { "best" : 0.4213, "badCount" : 2, "cooldownLeft" : 0, "lastReportIteration" : 4680,
 *             "reductionIterations" : [ 2340 ], "reductionMultipliers" : [ 0.1 ] }
 * }</pre>
 * {@code best} is {@code "Infinity"} ({@code "-Infinity"} for {@code MAX}) before the first report that
 * improved on nothing, as PyTorch starts it; {@code lastReportIteration} is -1 before the first report.
 */
@JsonDeserialize(using = StrictJson.class)
public final class PlateauState implements Serializable {

    private static final long serialVersionUID = 20261205L;

    private final double best;
    private final int badCount;
    private final int cooldownLeft;
    private final int lastReportIteration;
    private final int[] reductionIterations;
    private final double[] reductionMultipliers;
    /** The iteration of the last reduction ({@code Integer.MIN_VALUE} without one): derived, never in JSON. */
    @JsonIgnore
    private final int lastReduction;
    /** The multiplier from {@link #lastReduction} on (1 without a reduction): derived, never in JSON. */
    @JsonIgnore
    private final double lastMultiplier;

    /**
     * @param best                 the best metric so far (PyTorch {@code best}), not NaN; {@code +Infinity} for a
     *                             fresh {@code MIN} schedule, {@code -Infinity} for {@code MAX}
     * @param badCount             reports since the last improvement (PyTorch {@code num_bad_epochs}), {@code >= 0}
     * @param cooldownLeft         reports of cooldown still to come (PyTorch {@code cooldown_counter}),
     *                             {@code >= 0}; while it is positive {@code badCount} is 0
     * @param lastReportIteration  the iteration of the last report, -1 before the first; {@code >=} the
     *                             last reduction's iteration
     * @param reductionIterations  the update from which each reduction applies, {@code >= 0}, non-decreasing
     * @param reductionMultipliers the multiplier of each reduction, in {@code [0, 1)}, strictly decreasing, as
     *                             many as {@code reductionIterations}
     * @throws IllegalArgumentException naming the parameter, if any rule above is broken
     */
    @JsonCreator
    public PlateauState(@JsonProperty(value = "best", required = true) double best,
                        @JsonProperty(value = "badCount", required = true) int badCount,
                        @JsonProperty(value = "cooldownLeft", required = true) int cooldownLeft,
                        @JsonProperty(value = "lastReportIteration", required = true) int lastReportIteration,
                        @JsonProperty(value = "reductionIterations", required = true) int[] reductionIterations,
                        @JsonProperty(value = "reductionMultipliers", required = true)
                        double[] reductionMultipliers) {
        Checks.argument(!Double.isNaN(best), "best (NaN) must not be NaN: a NaN metric never improves on the best");
        this.best = best;
        this.badCount = Checks.nonNegative("badCount", badCount);
        this.cooldownLeft = Checks.nonNegative("cooldownLeft", cooldownLeft);
        Checks.argument(cooldownLeft == 0 || badCount == 0, "badCount (" + badCount + ") must be 0 while cooldownLeft ("
                + cooldownLeft + ") > 0: reports during a cooldown are not counted");
        Checks.argument(lastReportIteration >= -1, "lastReportIteration (" + lastReportIteration
                + ") must be >= -1 (-1: no report yet)");
        this.lastReportIteration = lastReportIteration;
        this.reductionIterations = Checks.notNull("reductionIterations", reductionIterations).clone();
        this.reductionMultipliers = Checks.notNull("reductionMultipliers", reductionMultipliers).clone();
        int n = this.reductionIterations.length;
        Checks.argument(reductionMultipliers.length == n, "reductionMultipliers (" + reductionMultipliers.length
                + " values) must have as many values as reductionIterations (" + n + ")");
        for (int k = 0; k < n; k++) {
            int it = this.reductionIterations[k];
            double m = this.reductionMultipliers[k];
            Checks.argument(it >= (k == 0 ? 0 : this.reductionIterations[k - 1]), "reductionIterations[" + k + "] ("
                    + it + ") must be >= " + (k == 0 ? "0" : "reductionIterations[" + (k - 1) + "] ("
                    + this.reductionIterations[k - 1] + ")"));
            Checks.argument(m >= 0 && m < (k == 0 ? 1 : this.reductionMultipliers[k - 1]), "reductionMultipliers["
                    + k + "] (" + m + ") must be >= 0 and < " + (k == 0 ? "1" : "reductionMultipliers[" + (k - 1)
                    + "] (" + this.reductionMultipliers[k - 1] + ")") + ": each reduction lowers the rate");
            this.reductionMultipliers[k] = m + 0.0;   // -0.0 becomes 0.0
        }
        this.lastReduction = n == 0 ? Integer.MIN_VALUE : this.reductionIterations[n - 1];
        this.lastMultiplier = n == 0 ? 1.0 : this.reductionMultipliers[n - 1];
        Checks.argument(lastReportIteration >= this.lastReduction, "lastReportIteration (" + lastReportIteration
                + ") must be >= the last reduction's iteration (" + this.lastReduction + ")");
    }

    /** A fresh state: no report yet, {@code best} the worst value of the mode (PyTorch's {@code mode_worse}). */
    static PlateauState initial(PlateauSchedule.Mode mode) {
        double worst = mode == PlateauSchedule.Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        return new PlateauState(worst, 0, 0, -1, new int[0], new double[0]);
    }

    /**
     * The multiplier that applies to update {@code iteration}: the last reduction's multiplier from its iteration
     * on (checked first: training asks for the newest updates), the one of the last reduction at or before
     * {@code iteration} otherwise (binary search; its branches are predicted well when the updates asked for come
     * in order, as in a preview), 1 before the first reduction.
     */
    double multiplierAt(int iteration) {
        if (iteration >= lastReduction) {
            return lastMultiplier;
        }
        int lo = 0;
        int hi = reductionIterations.length - 1;   // reductionIterations[hi] > iteration
        while (lo < hi) {                           // the first k with reductionIterations[k] > iteration
            int mid = (lo + hi) >>> 1;
            if (reductionIterations[mid] > iteration) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo == 0 ? 1.0 : reductionMultipliers[lo - 1];
    }

    /** The iteration from which the last reduction applies, {@code Integer.MIN_VALUE} without one. */
    int lastReduction() {
        return lastReduction;
    }

    /** The multiplier of the last reduction, 1 without one. */
    double lastMultiplier() {
        return lastMultiplier;
    }

    /** This state after one more report, with a reduction to {@code multiplier} at {@code iteration} when {@code reduce}. */
    PlateauState next(double newBest, int newBadCount, int newCooldownLeft, int iteration, boolean reduce,
                      double multiplier) {
        int[] its = reductionIterations;
        double[] ms = reductionMultipliers;
        if (reduce) {
            its = Arrays.copyOf(its, its.length + 1);
            ms = Arrays.copyOf(ms, ms.length + 1);
            its[its.length - 1] = iteration;
            ms[ms.length - 1] = multiplier;
        }
        return new PlateauState(newBest, newBadCount, newCooldownLeft, iteration, its, ms);
    }

    /** The best metric so far: {@code +Infinity} ({@code -Infinity} for {@code MAX}) until one is reported. */
    public double getBest() {
        return best;
    }

    /** Reports since the last improvement, not counting those during a cooldown (PyTorch {@code num_bad_epochs}). */
    public int getBadCount() {
        return badCount;
    }

    /** Reports of cooldown still to come (PyTorch {@code cooldown_counter}). */
    public int getCooldownLeft() {
        return cooldownLeft;
    }

    /** The iteration of the last report, -1 before the first. */
    public int getLastReportIteration() {
        return lastReportIteration;
    }

    /** The update from which each reduction applies, oldest first (a copy). */
    public int[] getReductionIterations() {
        return reductionIterations.clone();
    }

    /** The multiplier of the base's value from each reduction on, oldest first (a copy). */
    public double[] getReductionMultipliers() {
        return reductionMultipliers.clone();
    }

    /** How many reductions were made. */
    public int reductionCount() {
        return reductionIterations.length;
    }

    /** Java serialization keeps the JSON properties; the derived fields are recomputed (and everything rechecked). */
    private Object readResolve() {
        return new PlateauState(best, badCount, cooldownLeft, lastReportIteration, reductionIterations,
                reductionMultipliers);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PlateauState)) {
            return false;
        }
        PlateauState that = (PlateauState) o;
        return Double.compare(best, that.best) == 0
                && badCount == that.badCount
                && cooldownLeft == that.cooldownLeft
                && lastReportIteration == that.lastReportIteration
                && Arrays.equals(reductionIterations, that.reductionIterations)
                && Arrays.equals(reductionMultipliers, that.reductionMultipliers);
    }

    @Override
    public int hashCode() {
        int h = Double.hashCode(best);
        h = 31 * h + badCount;
        h = 31 * h + cooldownLeft;
        h = 31 * h + lastReportIteration;
        h = 31 * h + Arrays.hashCode(reductionIterations);
        return 31 * h + Arrays.hashCode(reductionMultipliers);
    }

    @Override
    public String toString() {
        StringBuilder reductions = new StringBuilder("[");
        for (int k = 0; k < reductionIterations.length; k++) {
            reductions.append(k == 0 ? "" : ", ").append(reductionIterations[k]).append(": x")
                    .append(reductionMultipliers[k]);
        }
        return "PlateauState(best=" + best + ", badCount=" + badCount + ", cooldownLeft=" + cooldownLeft
                + ", lastReportIteration=" + lastReportIteration + ", reductions=" + reductions.append("]") + ")";
    }
}
