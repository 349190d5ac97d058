package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Builds a {@link LinearSchedule}: {@code Schedules.linear(unit).startValue(0.01).endValue(0.1).period(5).build()}.
 * Required: startValue, endValue, period; unset: iterationsPerEpoch 0. {@code build()} names a required property that
 * was never set.
 */
public final class LinearBuilder {

    private final ScheduleType unit;
    private Double startValue;
    private Double endValue;
    private Integer period;
    private int iterationsPerEpoch;

    LinearBuilder(ScheduleType unit) {
        this.unit = unit;
    }

    public LinearBuilder startValue(double value) {
        this.startValue = value;
        return this;
    }

    public LinearBuilder endValue(double value) {
        this.endValue = value;
        return this;
    }

    public LinearBuilder period(int value) {
        this.period = value;
        return this;
    }

    public LinearBuilder iterationsPerEpoch(int value) {
        this.iterationsPerEpoch = value;
        return this;
    }

    public LinearSchedule build() {
        return new LinearSchedule(unit, Builders.required("startValue", startValue), Builders.required("endValue", endValue),
                Builders.required("period", period), iterationsPerEpoch);
    }
}
