package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.util.Objects;

/**
 * Cosine annealing with warm restarts whose amplitude above a fixed floor decays from cycle to cycle (Keras
 * {@code CosineDecayRestarts}, TensorFlow's {@code cosine_decay_restarts}).
 *
 * <pre>{@code
 * L_k = firstPeriod * periodMultiplier^k              length of cycle k (k = 0, 1, ...)
 * S_k = L_0 + L_1 + ... + L_(k-1)                      start of cycle k (S_0 = 0)
 * A_k = (initialValue - minValue) * amplitudeDecay^k    amplitude of cycle k
 * value(t) = minValue + A_k * (1 + cos(pi * (t - S_k) / L_k)) / 2     for S_k <= t < S_(k+1)
 * }</pre>
 * where {@code t} is the time in the unit of {@code scheduleType} (iterations, whole epochs, or fractional
 * epochs when {@code iterationsPerEpoch > 0}). The value is {@code initialValue} at {@code t = 0}, approaches
 * {@code minValue} at the end of every cycle and jumps to {@code minValue + A_k} at each restart {@code S_k}. The
 * cycles never end: there is no horizon.
 *
 * <p>How this differs from {@link CosineWarmRestartsSchedule}: there the peak decays
 * ({@code P_k = initialValue * peakDecay^k}) toward a fixed {@code minValue}; here the amplitude above
 * {@code minValue} decays, as Keras computes it: {@code lr0 * ((1 - alpha) * m_mul^k * (1 + cos(pi f)) / 2 + alpha)}
 * with {@code minValue = alpha * lr0}. The two agree when {@code minValue = 0} or {@code amplitudeDecay = 1}, and
 * {@link KerasSchedules#fromConfig} returns {@code CosineWarmRestartsSchedule} then.
 *
 * <p>Cycle starts are exact sums (shared with {@code CosineWarmRestartsSchedule}): for whole {@code firstPeriod}
 * and {@code periodMultiplier} every restart lands on its whole step, where Keras's float32
 * {@code floor(log(1 - f * (1 - t_mul)) / log(t_mul))} can put a restart step into the end of the previous cycle
 * (giving about {@code minValue} instead of the restart value).
 *
 * <p>Parameters, with their Keras names: {@code initialValue} = {@code initial_learning_rate},
 * {@code minValue} = {@code alpha * initial_learning_rate} (may exceed {@code initialValue}: each cycle then rises
 * toward it), {@code firstPeriod} = {@code first_decay_steps}, {@code periodMultiplier} = {@code t_mul}
 * ({@code >= 1}), {@code amplitudeDecay} = {@code m_mul} ({@code >= 0}; above 1 the amplitude grows, and every
 * value reached below {@code 2^31} must stay in {@code [0, Double.MAX_VALUE / 2]}).
 *
 * <pre>{@code
 * // Keras CosineDecayRestarts(0.1, 1000, t_mul=2.0, m_mul=0.9, alpha=0.01)
 * new Adam(new CosineDecayRestartsSchedule(ScheduleType.ITERATION, 0.1, 0.001, 1000, 2.0, 0.9, 0));
 * }</pre>
 *
 * @see <a href="https://arxiv.org/abs/1608.03983">Loshchilov &amp; Hutter, SGDR: Stochastic Gradient Descent
 *      with Warm Restarts, ICLR 2017, arXiv:1608.03983</a>
 */
@JsonDeserialize(using = StrictJson.class)
public final class CosineDecayRestartsSchedule implements ISchedule, TimedSchedule {

    private static final long serialVersionUID = 20261201L;

    private final ScheduleType scheduleType;
    private final double initialValue;
    private final double minValue;
    private final int firstPeriod;
    private final double periodMultiplier;
    private final double amplitudeDecay;
    private final int iterationsPerEpoch;

    /** Where the cycles start, their lengths and amplitudes {@code A_k}: derived, never in JSON. */
    @JsonIgnore
    private final RestartCycles cycles;

    /**
     * @param scheduleType       unit of the periods: {@code ITERATION} or {@code EPOCH}
     * @param initialValue       value at {@code t = 0}, in {@code [0, Double.MAX_VALUE / 2]}
     * @param minValue           the floor every cycle anneals toward, in {@code [0, Double.MAX_VALUE / 2]}
     * @param firstPeriod        length of cycle 0, {@code > 0}
     * @param periodMultiplier   factor between consecutive cycle lengths, finite, {@code >= 1}
     * @param amplitudeDecay     factor between consecutive amplitudes, finite, {@code >= 0}
     * @param iterationsPerEpoch 0, or with {@code EPOCH} the iterations per epoch (fractional epochs)
     * @throws IllegalArgumentException naming the parameter, if any rule above is broken, or if a growing
     *                                  amplitude takes a value reached below {@code 2^31} out of range
     */
    @JsonCreator
    public CosineDecayRestartsSchedule(
            @JsonProperty(value = "scheduleType", required = true) ScheduleType scheduleType,
            @JsonProperty(value = "initialValue", required = true) double initialValue,
            @JsonProperty(value = "minValue", required = true) double minValue,
            @JsonProperty(value = "firstPeriod", required = true) int firstPeriod,
            @JsonProperty(value = "periodMultiplier", required = true) double periodMultiplier,
            @JsonProperty(value = "amplitudeDecay", required = true) double amplitudeDecay,
            @JsonProperty("iterationsPerEpoch") int iterationsPerEpoch) {
        ScheduleTime.checkUnit(scheduleType, iterationsPerEpoch);
        this.scheduleType = scheduleType;
        this.initialValue = Checks.value("initialValue", initialValue);
        this.minValue = Checks.value("minValue", minValue);
        this.firstPeriod = Checks.positive("firstPeriod", firstPeriod);
        Checks.finite("periodMultiplier", periodMultiplier);
        Checks.argument(periodMultiplier >= 1, "periodMultiplier (" + periodMultiplier + ") must be >= 1");
        this.periodMultiplier = periodMultiplier;
        Checks.finite("amplitudeDecay", amplitudeDecay);
        Checks.argument(amplitudeDecay >= 0, "amplitudeDecay (" + amplitudeDecay + ") must be >= 0");
        this.amplitudeDecay = amplitudeDecay + 0.0;
        this.iterationsPerEpoch = iterationsPerEpoch;
        // the cycles' "peaks" are the amplitudes A_k (a floor of 0): each cycle's cosine is then A_k/2 * (1 + cos)
        cycles = RestartCycles.of(this.initialValue - this.minValue, 0.0, firstPeriod, periodMultiplier,
                this.amplitudeDecay, 0);
        int lastCycle = (int) (cycles.count() - 1);
        Checks.argument(Double.isFinite(cycles.length(lastCycle)), "periodMultiplier (" + periodMultiplier
                + ") makes cycle " + lastCycle + " infinitely long; use a smaller multiplier");
        double extreme = this.minValue + cycles.peak(lastCycle);
        Checks.argument(extreme >= 0 && extreme <= ValueBounds.MAX_VALUE, "amplitudeDecay (" + amplitudeDecay
                + ") takes the restart value of cycle " + lastCycle + " (which starts below 2^31) to " + extreme
                + ", outside [0, " + ValueBounds.MAX_VALUE + "]; use an amplitudeDecay closer to 1");
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double t = ScheduleTime.of(scheduleType, iterationsPerEpoch, iteration, epoch);
        RestartCycle cycle = cycles.cycle(t);          // never null: the cycles are unlimited (maxCycles 0)
        double elapsed = t - cycle.start;
        if (elapsed == 0) {
            return minValue + cycle.peak;
        }
        return minValue + cycle.cosine(elapsed);      // 0 + A_k/2 * (1 + cos(pi * elapsed / L_k)), exactly
    }

    /**
     * The largest value this schedule gives at any {@code (iteration, epoch)}: {@code minValue} plus the largest
     * amplitude (the first, or the last reached below {@code 2^31} when {@code amplitudeDecay > 1}).
     */
    @Override
    public double largestValue() {
        double first = cycles.peak(0);
        if (first <= 0) {
            return minValue;
        }
        return minValue + (amplitudeDecay <= 1 ? first : cycles.peak((int) (cycles.count() - 1)));
    }

    @Override
    public ISchedule clone() {
        return new CosineDecayRestartsSchedule(scheduleType, initialValue, minValue, firstPeriod, periodMultiplier,
                amplitudeDecay, iterationsPerEpoch);
    }

    /** Java serialization keeps only the configuration; the derived tables are rebuilt (and rechecked). */
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

    public double getMinValue() {
        return minValue;
    }

    public int getFirstPeriod() {
        return firstPeriod;
    }

    public double getPeriodMultiplier() {
        return periodMultiplier;
    }

    public double getAmplitudeDecay() {
        return amplitudeDecay;
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
        if (!(o instanceof CosineDecayRestartsSchedule)) {
            return false;
        }
        CosineDecayRestartsSchedule that = (CosineDecayRestartsSchedule) o;
        return scheduleType == that.scheduleType
                && Double.compare(initialValue, that.initialValue) == 0
                && Double.compare(minValue, that.minValue) == 0
                && firstPeriod == that.firstPeriod
                && Double.compare(periodMultiplier, that.periodMultiplier) == 0
                && Double.compare(amplitudeDecay, that.amplitudeDecay) == 0
                && iterationsPerEpoch == that.iterationsPerEpoch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheduleType, initialValue, minValue, firstPeriod, periodMultiplier, amplitudeDecay,
                iterationsPerEpoch);
    }

    @Override
    public String toString() {
        return "CosineDecayRestartsSchedule(initialValue=" + initialValue + ", minValue=" + minValue
                + ", firstPeriod=" + firstPeriod + ", periodMultiplier=" + periodMultiplier
                + ", amplitudeDecay=" + amplitudeDecay + ", " + ScheduleTime.describe(scheduleType, iterationsPerEpoch)
                + ")";
    }
}
