package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.util.Objects;

/**
 * The one-cycle policy (super-convergence; PyTorch {@code OneCycleLR(anneal_strategy='cos')}, fast.ai
 * {@code fit_one_cycle}), for the learning rate and, with the values reversed, for the momentum.
 *
 * <pre>{@code
 * T = totalPeriod, p = peakFraction, E1 = p*T - 1, E2 = 2*p*T - 2, E = T - 1
 * cos(a -> b, x) = b + (a - b) / 2 * (cos(pi * x) + 1)           x from 0 to 1
 * two phases:   value(t) = cos(initialValue -> peakValue, t / E1)                    for t <= E1
 *               value(t) = cos(peakValue -> finalValue, (t - E1) / (E - E1))         for E1 < t < E
 * three phases: value(t) = cos(initialValue -> peakValue, t / E1)                    for t <= E1
 *               value(t) = cos(peakValue -> initialValue, (t - E1) / (E2 - E1))      for E1 < t <= E2
 *               value(t) = cos(initialValue -> finalValue, (t - E2) / (E - E2))      for E2 < t < E
 * value(t) = finalValue                                                              for t >= E
 * }</pre>
 * where {@code t} is the time in the unit of {@code scheduleType} (iterations, whole epochs, or
 * fractional epochs when {@code iterationsPerEpoch > 0}). These are PyTorch's phase ends, including
 * their non-integer positions ({@code p*T - 1} is 29.0 for {@code T = 100, p = 0.3}, but 1.7 for
 * {@code T = 9}), computed in PyTorch's operation order, so every update has PyTorch's value. The
 * value is {@code initialValue} at {@code t = 0}, {@code peakValue} at {@code t = E1} (and
 * {@code initialValue} again at {@code E2} with three phases), {@code finalValue} at {@code t = T - 1},
 * the last update of a run of {@code T}; it holds {@code finalValue} after that (PyTorch raises an
 * error past {@code T}). Each phase must last at least one step, and three phases need
 * {@code p < 0.5}.
 *
 * <p>Parameters, with their PyTorch names: {@code peakValue} = {@code max_lr}, {@code initialValue} =
 * {@code max_lr / div_factor} (default {@code div_factor} 25), {@code finalValue} =
 * {@code initialValue / final_div_factor} (default 1e4), {@code totalPeriod} = {@code total_steps} (or
 * {@code epochs * steps_per_epoch}: then use {@code ITERATION} with {@code totalPeriod = epochs *
 * steps_per_epoch}, as PyTorch steps per batch), {@code peakFraction} = {@code pct_start} (default
 * 0.3), {@code threePhase} = {@code three_phase}. {@link Schedules#oneCycle} applies PyTorch's defaults.
 *
 * <p>The momentum schedule is the same class: PyTorch's {@code cycle_momentum} anneals
 * {@code max_momentum -> base_momentum -> max_momentum} over the same phases, i.e.
 * {@code initialValue = max_momentum}, {@code peakValue = base_momentum}, {@code finalValue =
 * max_momentum} ({@link Schedules#oneCycleMomentum}: 0.95, 0.85, 0.95). DL4J's {@code Nesterovs}
 * takes both:
 *
 * <pre>{@code
 * // 30 epochs of 390 updates, peak rate 0.1; momentum 0.95 -> 0.85 -> 0.95 over the same phases
 * int total = 30 * 390;
 * new Nesterovs(Schedules.oneCycle(ScheduleType.ITERATION, 0.1, total),
 *               Schedules.oneCycleMomentum(ScheduleType.ITERATION, total));
 * }</pre>
 *
 * @see <a href="https://arxiv.org/abs/1708.07120">Smith &amp; Topin, Super-Convergence: Very Fast
 *      Training of Neural Networks Using Large Learning Rates, arXiv:1708.07120</a>
 * @see <a href="https://arxiv.org/abs/1803.09820">Smith, A disciplined approach to neural network
 *      hyper-parameters, arXiv:1803.09820 (cyclical momentum)</a>
 */
@JsonDeserialize(using = StrictJson.class)
public final class OneCycleSchedule implements ISchedule, TimedSchedule {

    private static final long serialVersionUID = 20261129L;

    private final ScheduleType scheduleType;
    private final double initialValue;
    private final double peakValue;
    private final double finalValue;
    private final int totalPeriod;
    private final double peakFraction;
    private final boolean threePhase;
    private final int iterationsPerEpoch;

    /** Phase ends {@code E1}, {@code E2} (three phases; else {@code E1}) and {@code E}: derived, never in JSON. */
    @JsonIgnore
    private final double end1;
    @JsonIgnore
    private final double end2;
    @JsonIgnore
    private final double end;
    /** The last phase (from {@code E2} to {@code E}) starts at this value: {@code initialValue} or {@code peakValue}. */
    @JsonIgnore
    private final double lastFrom;
    /**
     * Per phase, the half range {@code ScheduleTime.half(from - to)} of its cosine, and the lengths of the second and
     * last phases ({@code E2 - E1}, {@code E - E2}): derived, never in JSON, so that {@code valueAt} computes only
     * what depends on the time.
     */
    @JsonIgnore
    private final double half1;
    @JsonIgnore
    private final double half2;
    @JsonIgnore
    private final double half3;
    @JsonIgnore
    private final double length2;
    @JsonIgnore
    private final double length3;

    /**
     * @param scheduleType       unit of {@code totalPeriod}: {@code ITERATION} or {@code EPOCH}
     * @param initialValue       value at {@code t = 0} (PyTorch {@code max_lr / div_factor}), finite, {@code >= 0}
     * @param peakValue          value at the end of the first phase (PyTorch {@code max_lr}), finite, {@code >= 0}
     * @param finalValue         value at {@code t >= totalPeriod - 1} (PyTorch {@code initial_lr / final_div_factor}),
     *                           finite, {@code >= 0}
     * @param totalPeriod        length of the cycle (PyTorch {@code total_steps}), {@code > 0}
     * @param peakFraction       where the first phase ends, as a fraction of {@code totalPeriod} (PyTorch
     *                           {@code pct_start}), in {@code (0, 1)}; {@code < 0.5} with three phases
     * @param threePhase         PyTorch {@code three_phase}: back down to {@code initialValue} before the final
     *                           annealing
     * @param iterationsPerEpoch 0, or with {@code EPOCH} the iterations per epoch (fractional epochs)
     * @throws IllegalArgumentException naming the parameter, if any rule above is broken or a phase lasts
     *                                  less than one step
     */
    @JsonCreator
    public OneCycleSchedule(@JsonProperty(value = "scheduleType", required = true) ScheduleType scheduleType,
                            @JsonProperty(value = "initialValue", required = true) double initialValue,
                            @JsonProperty(value = "peakValue", required = true) double peakValue,
                            @JsonProperty(value = "finalValue", required = true) double finalValue,
                            @JsonProperty(value = "totalPeriod", required = true) int totalPeriod,
                            @JsonProperty(value = "peakFraction", required = true) double peakFraction,
                            @JsonProperty("threePhase") boolean threePhase,
                            @JsonProperty("iterationsPerEpoch") int iterationsPerEpoch) {
        ScheduleTime.checkUnit(scheduleType, iterationsPerEpoch);
        this.scheduleType = scheduleType;
        this.initialValue = Checks.value("initialValue", initialValue);
        this.peakValue = Checks.value("peakValue", peakValue);
        this.finalValue = Checks.value("finalValue", finalValue);
        this.totalPeriod = Checks.positive("totalPeriod", totalPeriod);
        Checks.argument(peakFraction > 0 && peakFraction < 1,
                "peakFraction (" + peakFraction + ") must be in (0, 1)");
        Checks.argument(!threePhase || peakFraction < 0.5, "peakFraction (" + peakFraction
                + ") must be < 0.5 with threePhase=true: the second phase ends at 2 * peakFraction * totalPeriod - 2");
        this.peakFraction = peakFraction;
        this.threePhase = threePhase;
        this.iterationsPerEpoch = iterationsPerEpoch;
        // PyTorch: float(pct_start * total_steps) - 1, float(2 * pct_start * total_steps) - 2, total_steps - 1
        end1 = peakFraction * totalPeriod - 1;
        end2 = threePhase ? 2 * peakFraction * totalPeriod - 2 : end1;
        end = totalPeriod - 1.0;
        checkPhase("first", 0, end1);
        if (threePhase) {
            checkPhase("second", end1, end2);
        }
        checkPhase(threePhase ? "third" : "second", end2, end);
        lastFrom = threePhase ? initialValue : peakValue;
        half1 = ScheduleTime.half(this.initialValue - this.peakValue);
        half2 = ScheduleTime.half(this.peakValue - this.initialValue);
        half3 = ScheduleTime.half(lastFrom - this.finalValue);
        length2 = end2 - end1;
        length3 = end - end2;
    }

    /** A schedule stepped per iteration or per whole epoch ({@code iterationsPerEpoch = 0}). */
    public OneCycleSchedule(ScheduleType scheduleType, double initialValue, double peakValue, double finalValue,
                            int totalPeriod, double peakFraction, boolean threePhase) {
        this(scheduleType, initialValue, peakValue, finalValue, totalPeriod, peakFraction, threePhase, 0);
    }

    private void checkPhase(String name, double from, double to) {
        Checks.argument(to - from >= 1, "the " + name + " phase (from t = " + from + " to " + to + ") must last at"
                + " least one step: totalPeriod (" + totalPeriod + ") is too short for peakFraction (" + peakFraction
                + ")" + (threePhase ? " with threePhase=true" : "") + "; phases end at peakFraction * totalPeriod - 1"
                + (threePhase ? ", 2 * peakFraction * totalPeriod - 2" : "") + " and totalPeriod - 1");
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double t = ScheduleTime.of(scheduleType, iterationsPerEpoch, iteration, epoch);
        if (t <= end1) {
            return anneal(peakValue, half1, t / end1);
        }
        if (t <= end2) {
            return anneal(initialValue, half2, (t - end1) / length2);
        }
        if (t >= end) {
            return finalValue;
        }
        return anneal(finalValue, half3, (t - end2) / length3);
    }

    /**
     * The largest value this schedule gives at any {@code (iteration, epoch)}: the largest of its three values,
     * since every phase is a cosine between two of them (for the value bounds of wrapping schedules).
     */
    @Override
    public double largestValue() {
        return Math.max(initialValue, Math.max(peakValue, finalValue));
    }

    /**
     * PyTorch's {@code _annealing_cos} from {@code start} to {@code stop}, in its operation order, with the phase's
     * {@code half = ScheduleTime.half(start - stop)} precomputed: the half range rounded toward zero (exact but for
     * subnormals, where rounding to nearest could end a rise from 0 below 0).
     */
    private static double anneal(double stop, double half, double pct) {
        double cosOut = Math.cos(Math.PI * pct) + 1;
        return stop + half * cosOut;
    }

    @Override
    public ISchedule clone() {
        return new OneCycleSchedule(scheduleType, initialValue, peakValue, finalValue, totalPeriod, peakFraction,
                threePhase, iterationsPerEpoch);
    }

    /** Java serialization keeps only the configuration; the derived phase ends are rebuilt (and rechecked). */
    private Object readResolve() {
        return clone();
    }

    @Override
    public ScheduleType getScheduleType() {
        return scheduleType;
    }

    public double getInitialValue() {
        return initialValue;
    }

    public double getPeakValue() {
        return peakValue;
    }

    public double getFinalValue() {
        return finalValue;
    }

    public int getTotalPeriod() {
        return totalPeriod;
    }

    public double getPeakFraction() {
        return peakFraction;
    }

    public boolean isThreePhase() {
        return threePhase;
    }

    @Override
    public int getIterationsPerEpoch() {
        return iterationsPerEpoch;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof OneCycleSchedule)) {
            return false;
        }
        OneCycleSchedule that = (OneCycleSchedule) o;
        return scheduleType == that.scheduleType
                && Double.compare(initialValue, that.initialValue) == 0
                && Double.compare(peakValue, that.peakValue) == 0
                && Double.compare(finalValue, that.finalValue) == 0
                && totalPeriod == that.totalPeriod
                && Double.compare(peakFraction, that.peakFraction) == 0
                && threePhase == that.threePhase
                && iterationsPerEpoch == that.iterationsPerEpoch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheduleType, initialValue, peakValue, finalValue, totalPeriod, peakFraction, threePhase,
                iterationsPerEpoch);
    }

    @Override
    public String toString() {
        return "OneCycleSchedule(initialValue=" + initialValue + ", peakValue=" + peakValue + ", finalValue="
                + finalValue + ", totalPeriod=" + totalPeriod + ", peakFraction=" + peakFraction + ", threePhase="
                + threePhase + ", " + ScheduleTime.describe(scheduleType, iterationsPerEpoch) + ")";
    }
}
