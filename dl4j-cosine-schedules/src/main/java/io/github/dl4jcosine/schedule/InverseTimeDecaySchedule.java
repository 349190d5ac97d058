package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.util.Objects;

/**
 * Inverse time decay, continuous or as a staircase (Keras {@code InverseTimeDecay}, TensorFlow's
 * {@code inverse_time_decay}).
 *
 * <pre>{@code
 * p = t / decayPeriod                   (staircase = false)
 * p = floor(t / decayPeriod)            (staircase = true: the value changes once every decayPeriod)
 * value(t) = initialValue / (1 + decayRate * p)
 * }</pre>
 * where {@code t} is the time in the unit of {@code scheduleType} (iterations, whole epochs, or fractional
 * epochs when {@code iterationsPerEpoch > 0}). The value is {@code initialValue} at {@code t = 0} (and, with
 * {@code staircase}, until {@code t = decayPeriod}), {@code initialValue / (1 + decayRate)} at
 * {@code t = decayPeriod}, and falls toward 0 without ever reaching it: there is no horizon.
 *
 * <p>Parameters, with their Keras names: {@code initialValue} = {@code initial_learning_rate},
 * {@code decayRate} = {@code decay_rate}, {@code decayPeriod} = {@code decay_steps}, {@code staircase}.
 * The continuous form is DL4J's {@code InverseSchedule(scheduleType, initialValue, decayRate / decayPeriod, 1)}
 * (the same values up to rounding), which {@link KerasSchedules#fromConfig} returns for it; that method returns this
 * class for {@code staircase = true}, which DL4J has no class for.
 *
 * <pre>{@code
 * // Keras InverseTimeDecay(0.1, decay_steps=1000, decay_rate=0.5, staircase=True)
 * new Sgd(new InverseTimeDecaySchedule(ScheduleType.ITERATION, 0.1, 0.5, 1000, true, 0));
 * }</pre>
 */
@JsonDeserialize(using = StrictJson.class)
public final class InverseTimeDecaySchedule implements ISchedule, TimedSchedule {

    private static final long serialVersionUID = 20261201L;

    private final ScheduleType scheduleType;
    private final double initialValue;
    private final double decayRate;
    private final double decayPeriod;
    private final boolean staircase;
    private final int iterationsPerEpoch;

    /**
     * @param scheduleType       unit of {@code decayPeriod}: {@code ITERATION} or {@code EPOCH}
     * @param initialValue       value at {@code t = 0}, in {@code [0, Double.MAX_VALUE / 2]}
     * @param decayRate          how much the denominator grows per {@code decayPeriod}, finite, {@code >= 0} (a
     *                           negative rate would drive it to 0: an infinite value)
     * @param decayPeriod        the time over which the denominator grows by {@code decayRate}, finite, {@code >= 1e-9}
     * @param staircase          whether {@code p} is rounded down to a whole number of periods
     * @param iterationsPerEpoch 0, or with {@code EPOCH} the iterations per epoch (fractional epochs)
     * @throws IllegalArgumentException naming the parameter, if any rule above is broken
     */
    @JsonCreator
    public InverseTimeDecaySchedule(@JsonProperty(value = "scheduleType", required = true) ScheduleType scheduleType,
                                    @JsonProperty(value = "initialValue", required = true) double initialValue,
                                    @JsonProperty(value = "decayRate", required = true) double decayRate,
                                    @JsonProperty(value = "decayPeriod", required = true) double decayPeriod,
                                    @JsonProperty("staircase") boolean staircase,
                                    @JsonProperty("iterationsPerEpoch") int iterationsPerEpoch) {
        ScheduleTime.checkUnit(scheduleType, iterationsPerEpoch);
        this.scheduleType = scheduleType;
        this.initialValue = Checks.value("initialValue", initialValue);
        Checks.finite("decayRate", decayRate);
        Checks.argument(decayRate >= 0, "decayRate (" + decayRate + ") must be >= 0: a negative rate drives"
                + " 1 + decayRate * p to 0, an infinite value");
        this.decayRate = decayRate + 0.0;
        this.decayPeriod = Checks.decayPeriod(decayPeriod);
        this.staircase = staircase;
        this.iterationsPerEpoch = iterationsPerEpoch;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double t = ScheduleTime.of(scheduleType, iterationsPerEpoch, iteration, epoch);
        double p = t / decayPeriod;
        if (staircase) {
            p = Math.floor(p);
        }
        return initialValue / (1 + decayRate * p);
    }

    /** The largest value this schedule gives at any {@code (iteration, epoch)}: {@code initialValue}. */
    @Override
    public double largestValue() {
        return initialValue;
    }

    @Override
    public ISchedule clone() {
        return new InverseTimeDecaySchedule(scheduleType, initialValue, decayRate, decayPeriod, staircase,
                iterationsPerEpoch);
    }

    @Override
    public ScheduleType getScheduleType() {
        return scheduleType;
    }

    public double getInitialValue() {
        return initialValue;
    }

    public double getDecayRate() {
        return decayRate;
    }

    public double getDecayPeriod() {
        return decayPeriod;
    }

    public boolean isStaircase() {
        return staircase;
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
        if (!(o instanceof InverseTimeDecaySchedule)) {
            return false;
        }
        InverseTimeDecaySchedule that = (InverseTimeDecaySchedule) o;
        return scheduleType == that.scheduleType
                && Double.compare(initialValue, that.initialValue) == 0
                && Double.compare(decayRate, that.decayRate) == 0
                && Double.compare(decayPeriod, that.decayPeriod) == 0
                && staircase == that.staircase
                && iterationsPerEpoch == that.iterationsPerEpoch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheduleType, initialValue, decayRate, decayPeriod, staircase, iterationsPerEpoch);
    }

    @Override
    public String toString() {
        return "InverseTimeDecaySchedule(initialValue=" + initialValue + ", decayRate=" + decayRate
                + ", decayPeriod=" + decayPeriod + ", staircase=" + staircase + ", "
                + ScheduleTime.describe(scheduleType, iterationsPerEpoch) + ")";
    }
}
