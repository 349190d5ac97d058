package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.util.Objects;

/**
 * Polynomial decay from {@code initialValue} to {@code endValue}, optionally cycling (Keras
 * {@code PolynomialDecay}, TensorFlow's {@code polynomial_decay}; PyTorch {@code PolynomialLR} is the case
 * {@code endValue = 0}, no cycle).
 *
 * <pre>{@code
 * D = decayPeriod, P = power
 * without cycle:  D_t = D,                            s = min(t, D)
 * with cycle:     D_t = D * max(1, ceil(t / D)),      s = t            (D_t = D at t = 0)
 * value(t) = (initialValue - endValue) * (1 - s / D_t)^P + endValue
 * }</pre>
 * where {@code t} is the time in the unit of {@code scheduleType} (iterations, whole epochs, or fractional
 * epochs when {@code iterationsPerEpoch > 0}). The value is {@code initialValue} at {@code t = 0} and
 * {@code endValue} at {@code t = D} (for {@code P > 0}). Without {@code cycle} it holds that value after {@code D}. With
 * {@code cycle}, {@code D_t} is the first multiple of {@code D} at or above {@code t}: the value reaches
 * {@code endValue} at every multiple {@code k * D} and the next update restarts a decay over {@code (k + 1) * D}
 * from there, so the second cycle starts at {@code (initialValue - endValue) * (1 - (D + 1) / (2D))^P + endValue}
 * rather than at {@code initialValue} (Keras's rule). {@code ceil} is computed exactly in double (Keras's
 * float32 division can put a step far beyond 2^24 into the wrong multiple). {@code P = 1} without cycle is
 * {@link LinearSchedule}; {@code P = 0} holds {@code initialValue} throughout ({@code 0^0 = 1}, as in Keras).
 *
 * <p>Parameters, with their Keras names: {@code initialValue} = {@code initial_learning_rate},
 * {@code endValue} = {@code end_learning_rate} (may exceed {@code initialValue}: the value then rises),
 * {@code decayPeriod} = {@code decay_steps} (any positive number, not only a whole one), {@code power},
 * {@code cycle}. {@link KerasSchedules#fromConfig} returns this class for Keras's {@code PolynomialDecay}.
 *
 * <pre>{@code
 * // Keras PolynomialDecay(0.1, 10000, end_learning_rate=0.01, power=0.5)
 * new Sgd(new PolynomialDecaySchedule(ScheduleType.ITERATION, 0.1, 0.01, 10000, 0.5, false, 0));
 * }</pre>
 */
@JsonDeserialize(using = StrictJson.class)
public final class PolynomialDecaySchedule implements ISchedule, TimedSchedule {

    private static final long serialVersionUID = 20261201L;

    private final ScheduleType scheduleType;
    private final double initialValue;
    private final double endValue;
    private final double decayPeriod;
    private final double power;
    private final boolean cycle;
    private final int iterationsPerEpoch;

    /**
     * @param scheduleType       unit of {@code decayPeriod}: {@code ITERATION} or {@code EPOCH}
     * @param initialValue       value at {@code t = 0}, in {@code [0, Double.MAX_VALUE / 2]}
     * @param endValue           value at {@code t = decayPeriod}, in {@code [0, Double.MAX_VALUE / 2]}
     * @param decayPeriod        length of the decay (of the first cycle), finite, {@code >= 1e-9}
     * @param power              exponent of the polynomial, finite, {@code >= 0} (a negative power would make the
     *                           value infinite at the end of the decay)
     * @param cycle              whether to decay again over the next multiple of {@code decayPeriod}
     * @param iterationsPerEpoch 0, or with {@code EPOCH} the iterations per epoch (fractional epochs)
     * @throws IllegalArgumentException naming the parameter, if any rule above is broken
     */
    @JsonCreator
    public PolynomialDecaySchedule(@JsonProperty(value = "scheduleType", required = true) ScheduleType scheduleType,
                                   @JsonProperty(value = "initialValue", required = true) double initialValue,
                                   @JsonProperty(value = "endValue", required = true) double endValue,
                                   @JsonProperty(value = "decayPeriod", required = true) double decayPeriod,
                                   @JsonProperty(value = "power", required = true) double power,
                                   @JsonProperty("cycle") boolean cycle,
                                   @JsonProperty("iterationsPerEpoch") int iterationsPerEpoch) {
        ScheduleTime.checkUnit(scheduleType, iterationsPerEpoch);
        this.scheduleType = scheduleType;
        this.initialValue = Checks.value("initialValue", initialValue);
        this.endValue = Checks.value("endValue", endValue);
        this.decayPeriod = Checks.decayPeriod(decayPeriod);
        Checks.finite("power", power);
        Checks.argument(power >= 0, "power (" + power + ") must be >= 0: a negative power makes the value infinite"
                + " at the end of the decay");
        this.power = power + 0.0;
        this.cycle = cycle;
        this.iterationsPerEpoch = iterationsPerEpoch;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double t = ScheduleTime.of(scheduleType, iterationsPerEpoch, iteration, epoch);
        double fraction;
        if (cycle) {
            // t / D is never rounded down onto a whole number here (t < 2^31), so ceil is exact for whole D
            double multiple = t == 0 ? 1 : Math.ceil(t / decayPeriod);
            fraction = t / (decayPeriod * multiple);
        } else {
            fraction = t >= decayPeriod ? 1 : t / decayPeriod;
        }
        return (initialValue - endValue) * Math.pow(1 - fraction, power) + endValue;
    }

    /** The largest value this schedule gives at any {@code (iteration, epoch)}: the larger of its two values. */
    @Override
    public double largestValue() {
        return Math.max(initialValue, endValue);
    }

    @Override
    public ISchedule clone() {
        return new PolynomialDecaySchedule(scheduleType, initialValue, endValue, decayPeriod, power, cycle,
                iterationsPerEpoch);
    }

    @Override
    public ScheduleType getScheduleType() {
        return scheduleType;
    }

    public double getInitialValue() {
        return initialValue;
    }

    public double getEndValue() {
        return endValue;
    }

    public double getDecayPeriod() {
        return decayPeriod;
    }

    public double getPower() {
        return power;
    }

    public boolean isCycle() {
        return cycle;
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
        if (!(o instanceof PolynomialDecaySchedule)) {
            return false;
        }
        PolynomialDecaySchedule that = (PolynomialDecaySchedule) o;
        return scheduleType == that.scheduleType
                && Double.compare(initialValue, that.initialValue) == 0
                && Double.compare(endValue, that.endValue) == 0
                && Double.compare(decayPeriod, that.decayPeriod) == 0
                && Double.compare(power, that.power) == 0
                && cycle == that.cycle
                && iterationsPerEpoch == that.iterationsPerEpoch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheduleType, initialValue, endValue, decayPeriod, power, cycle, iterationsPerEpoch);
    }

    @Override
    public String toString() {
        return "PolynomialDecaySchedule(initialValue=" + initialValue + ", endValue=" + endValue + ", decayPeriod="
                + decayPeriod + ", power=" + power + ", cycle=" + cycle + ", "
                + ScheduleTime.describe(scheduleType, iterationsPerEpoch) + ")";
    }
}
