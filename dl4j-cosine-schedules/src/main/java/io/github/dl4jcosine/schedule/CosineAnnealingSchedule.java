package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.util.Objects;

/**
 * Cosine annealing without restarts (SGDR's single cycle; PyTorch {@code CosineAnnealingLR},
 * braintools {@code CosineAnnealingLR}, Keras {@code CosineDecay}).
 *
 * <pre>{@code
 * value(t) = minValue + (initialValue - minValue) * (1 + cos(pi * t / period)) / 2   for t <= period
 * value(t) = minValue                                                            for t >  period
 * }</pre>
 * where {@code t} is the time in the unit of {@code scheduleType}: {@code t = iteration} for {@code ITERATION};
 * {@code t = epoch} for {@code EPOCH} (it steps once per epoch); with {@code EPOCH} and
 * {@code iterationsPerEpoch = n > 0}, fractional epochs {@code t = epoch + clamp((iteration - epoch * n) / n, 0, 1)}
 * (PyTorch's {@code scheduler.step(epoch + i / n)}, anchored to DL4J's epoch counter). The value is
 * {@code initialValue} at {@code t = 0}, {@code (initialValue + minValue) / 2} at {@code t = period / 2},
 * {@code minValue} at {@code t = period}, and holds {@code minValue} after that. PyTorch's
 * {@code CosineAnnealingLR} instead rises back up after {@code T_max}; we hold, which is what a
 * finished schedule should do.
 *
 * <p>Parameters, with their PyTorch / braintools names: {@code initialValue} = the optimizer's
 * {@code lr} / {@code base_lr}, {@code minValue} = {@code eta_min}, {@code period} = {@code T_max}.
 * {@code minValue} may exceed {@code initialValue} (an increasing half-cosine, e.g. for momentum).
 *
 * <pre>{@code
 * // 100 epochs from 0.1 down to 0
 * new Adam(new CosineAnnealingSchedule(ScheduleType.EPOCH, 0.1, 0.0, 100));
 * }</pre>
 *
 * @see <a href="https://arxiv.org/abs/1608.03983">Loshchilov &amp; Hutter, SGDR: Stochastic Gradient
 *      Descent with Warm Restarts, ICLR 2017, arXiv:1608.03983</a>
 */
@JsonDeserialize(using = StrictJson.class)
public final class CosineAnnealingSchedule implements ISchedule, TimedSchedule {

    private static final long serialVersionUID = 20261122L;

    private final ScheduleType scheduleType;
    private final double initialValue;
    private final double minValue;
    private final int period;
    private final int iterationsPerEpoch;

    /**
     * Derived, never in JSON (rebuilt by {@link #readResolve} after Java serialization): {@code period} as a double
     * and the half range {@code ScheduleTime.half(initialValue - minValue)}, so that {@code valueAt} computes only
     * what depends on the time.
     */
    @JsonIgnore
    private final double length;
    @JsonIgnore
    private final double half;

    /**
     * @param scheduleType       unit of {@code period}: {@code ITERATION} or {@code EPOCH}
     * @param initialValue       value at {@code t = 0} (PyTorch {@code lr}), in {@code [0, Double.MAX_VALUE / 2]}
     * @param minValue           value at {@code t >= period} (PyTorch {@code eta_min}), in {@code [0, Double.MAX_VALUE / 2]}
     * @param period             length of the cosine (PyTorch {@code T_max}), {@code > 0}
     * @param iterationsPerEpoch 0, or with {@code EPOCH} the iterations per epoch, for a value that
     *                           moves every iteration (fractional epochs)
     * @throws IllegalArgumentException naming the parameter, if any rule above is broken
     */
    @JsonCreator
    public CosineAnnealingSchedule(@JsonProperty(value = "scheduleType", required = true) ScheduleType scheduleType,
                                   @JsonProperty(value = "initialValue", required = true) double initialValue,
                                   @JsonProperty("minValue") double minValue,
                                   @JsonProperty(value = "period", required = true) int period,
                                   @JsonProperty("iterationsPerEpoch") int iterationsPerEpoch) {
        ScheduleTime.checkUnit(scheduleType, iterationsPerEpoch);
        this.scheduleType = scheduleType;
        this.initialValue = Checks.value("initialValue", initialValue);
        this.minValue = Checks.value("minValue", minValue);
        this.period = Checks.positive("period", period);
        this.iterationsPerEpoch = iterationsPerEpoch;
        length = period;
        half = ScheduleTime.half(this.initialValue - this.minValue);
    }

    /** A schedule stepped per iteration or per whole epoch ({@code iterationsPerEpoch = 0}). */
    public CosineAnnealingSchedule(ScheduleType scheduleType, double initialValue, double minValue, int period) {
        this(scheduleType, initialValue, minValue, period, 0);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double t = ScheduleTime.of(scheduleType, iterationsPerEpoch, iteration, epoch);
        if (t >= length) {
            return minValue;
        }
        // bit for bit ScheduleTime.cosine(initialValue, minValue, t, length), its half range precomputed
        return t == 0 ? initialValue : minValue + half * (1 + Math.cos(Math.PI * t / length));
    }

    /** The largest value this schedule gives at any {@code (iteration, epoch)}: the larger of initialValue and minValue. */
    @Override
    public double largestValue() {
        return Math.max(initialValue, minValue);
    }

    @Override
    public ISchedule clone() {
        return new CosineAnnealingSchedule(scheduleType, initialValue, minValue, period, iterationsPerEpoch);
    }

    /** Java serialization keeps only the configuration; the derived fields are rebuilt (and rechecked). */
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

    public int getPeriod() {
        return period;
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
        if (!(o instanceof CosineAnnealingSchedule)) {
            return false;
        }
        CosineAnnealingSchedule that = (CosineAnnealingSchedule) o;
        return scheduleType == that.scheduleType
                && Double.compare(initialValue, that.initialValue) == 0
                && Double.compare(minValue, that.minValue) == 0
                && period == that.period
                && iterationsPerEpoch == that.iterationsPerEpoch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheduleType, initialValue, minValue, period, iterationsPerEpoch);
    }

    @Override
    public String toString() {
        return "CosineAnnealingSchedule(initialValue=" + initialValue + ", minValue=" + minValue
                + ", period=" + period + ", " + ScheduleTime.describe(scheduleType, iterationsPerEpoch) + ")";
    }
}
