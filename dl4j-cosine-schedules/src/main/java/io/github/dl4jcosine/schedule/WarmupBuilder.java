package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Builds a {@link LinearWarmupSchedule}: {@code Schedules.warmup(unit).warmupPeriod(5).schedule(decay).build()}.
 * Required: warmupPeriod, schedule; unset: startValue 0, iterationsPerEpoch 0. {@code build()} names a required
 * property that was never set.
 */
public final class WarmupBuilder {

    private final ScheduleType unit;
    private Integer warmupPeriod;
    private double startValue;
    private ISchedule schedule;
    private int iterationsPerEpoch;

    WarmupBuilder(ScheduleType unit) {
        this.unit = unit;
    }

    public WarmupBuilder warmupPeriod(int value) {
        this.warmupPeriod = value;
        return this;
    }

    /** Where the warmup starts (0 unless set); it ends at the wrapped schedule's first value. */
    public WarmupBuilder startValue(double value) {
        this.startValue = value;
        return this;
    }

    /** The schedule after the warmup; its time starts at 0 when the warmup ends. */
    public WarmupBuilder schedule(ISchedule value) {
        this.schedule = value;
        return this;
    }

    public WarmupBuilder iterationsPerEpoch(int value) {
        this.iterationsPerEpoch = value;
        return this;
    }

    public LinearWarmupSchedule build() {
        return new LinearWarmupSchedule(unit, Builders.required("warmupPeriod", warmupPeriod), startValue,
                Builders.required("schedule", schedule), iterationsPerEpoch);
    }
}
