package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.util.Objects;

/**
 * A straight line from {@code startValue} to {@code endValue}, then {@code endValue} held (PyTorch
 * {@code LinearLR}, braintools {@code LinearLR}, optax {@code linear_schedule}).
 *
 * <pre>{@code
 * value(t) = startValue + (endValue - startValue) * t / period   for t < period
 * value(t) = endValue                                            for t >= period
 * }</pre>
 * where {@code t} is the time in the unit of {@code scheduleType}. Use it with absolute values (a
 * learning rate from 1e-4 to 1e-2), or as factors inside a {@link ProductSchedule}, exactly like
 * PyTorch's {@code LinearLR(start_factor, end_factor, total_iters)}: {@code startValue} =
 * {@code start_factor}, {@code endValue} = {@code end_factor}, {@code period} = {@code total_iters}.
 *
 * <pre>{@code
 * // braintools ChainedScheduler([LinearLR(0.01 -> 1, 5), CosineAnnealingLR(0.1, 90)])
 * new Sgd(new ProductSchedule(new LinearSchedule(ScheduleType.EPOCH, 0.01, 1.0, 5),
 *                             new CosineAnnealingSchedule(ScheduleType.EPOCH, 0.1, 0.0, 90)));
 * }</pre>
 */
@JsonDeserialize(using = StrictJson.class)
public final class LinearSchedule implements ISchedule, TimedSchedule {

    private static final long serialVersionUID = 20261122L;

    private final ScheduleType scheduleType;
    private final double startValue;
    private final double endValue;
    private final int period;
    private final int iterationsPerEpoch;

    /**
     * @param scheduleType       unit of {@code period}: {@code ITERATION} or {@code EPOCH}
     * @param startValue         value at {@code t = 0}, in {@code [0, Double.MAX_VALUE / 2]}
     * @param endValue           value at {@code t >= period}, in {@code [0, Double.MAX_VALUE / 2]}
     * @param period             length of the line (PyTorch {@code total_iters}), {@code > 0}
     * @param iterationsPerEpoch 0, or with {@code EPOCH} the iterations per epoch (fractional epochs)
     * @throws IllegalArgumentException naming the parameter, if any rule above is broken
     */
    @JsonCreator
    public LinearSchedule(@JsonProperty(value = "scheduleType", required = true) ScheduleType scheduleType,
                          @JsonProperty(value = "startValue", required = true) double startValue,
                          @JsonProperty(value = "endValue", required = true) double endValue,
                          @JsonProperty(value = "period", required = true) int period,
                          @JsonProperty("iterationsPerEpoch") int iterationsPerEpoch) {
        ScheduleTime.checkUnit(scheduleType, iterationsPerEpoch);
        this.scheduleType = scheduleType;
        this.startValue = Checks.value("startValue", startValue);
        this.endValue = Checks.value("endValue", endValue);
        this.period = Checks.positive("period", period);
        this.iterationsPerEpoch = iterationsPerEpoch;
    }

    /** A schedule stepped per iteration or per whole epoch ({@code iterationsPerEpoch = 0}). */
    public LinearSchedule(ScheduleType scheduleType, double startValue, double endValue, int period) {
        this(scheduleType, startValue, endValue, period, 0);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double t = ScheduleTime.of(scheduleType, iterationsPerEpoch, iteration, epoch);
        double length = ScheduleTime.exact(period);   // not (double) period: see ScheduleTime.exact
        return t >= length ? endValue : ScheduleTime.linear(startValue, endValue, t, length);
    }

    /** The largest value this schedule gives at any {@code (iteration, epoch)}: the larger of startValue and endValue. */
    @Override
    public double largestValue() {
        return Math.max(startValue, endValue);
    }

    @Override
    public ISchedule clone() {
        return new LinearSchedule(scheduleType, startValue, endValue, period, iterationsPerEpoch);
    }

    @Override
    public ScheduleType getScheduleType() {
        return scheduleType;
    }

    public double getStartValue() {
        return startValue;
    }

    public double getEndValue() {
        return endValue;
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
        if (!(o instanceof LinearSchedule)) {
            return false;
        }
        LinearSchedule that = (LinearSchedule) o;
        return scheduleType == that.scheduleType
                && Double.compare(startValue, that.startValue) == 0
                && Double.compare(endValue, that.endValue) == 0
                && period == that.period
                && iterationsPerEpoch == that.iterationsPerEpoch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheduleType, startValue, endValue, period, iterationsPerEpoch);
    }

    @Override
    public String toString() {
        return "LinearSchedule(startValue=" + startValue + ", endValue=" + endValue + ", period=" + period + ", "
                + ScheduleTime.describe(scheduleType, iterationsPerEpoch) + ")";
    }
}
