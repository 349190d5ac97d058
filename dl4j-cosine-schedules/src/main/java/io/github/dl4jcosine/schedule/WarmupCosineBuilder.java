package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Builds a {@link WarmupCosineSchedule}:
 * {@code Schedules.warmupCosine(unit).peakValue(1e-3).warmupPeriod(5).totalPeriod(90).build()}. Required: peakValue,
 * warmupPeriod, totalPeriod; unset: warmupStartValue 0, minValue 0 (or {@code minRatio}), iterationsPerEpoch 0.
 * {@code build()} names a required property that was never set.
 */
public final class WarmupCosineBuilder {

    private final ScheduleType unit;
    private Double peakValue;
    private double warmupStartValue;
    private Double minValue;
    private Double minRatio;
    private Integer warmupPeriod;
    private Integer totalPeriod;
    private int iterationsPerEpoch;

    WarmupCosineBuilder(ScheduleType unit) {
        this.unit = unit;
    }

    public WarmupCosineBuilder peakValue(double value) {
        this.peakValue = value;
        return this;
    }

    public WarmupCosineBuilder warmupStartValue(double value) {
        this.warmupStartValue = value;
        return this;
    }

    public WarmupCosineBuilder minValue(double value) {
        this.minValue = value;
        return this;
    }

    /** {@code minValue = ratio x peakValue}, {@code 0 <= ratio <= 1} (Hugging Face's {@code min_lr_ratio}). */
    public WarmupCosineBuilder minRatio(double ratio) {
        this.minRatio = Builders.checkMinRatio(ratio);
        return this;
    }

    public WarmupCosineBuilder warmupPeriod(int value) {
        this.warmupPeriod = value;
        return this;
    }

    public WarmupCosineBuilder totalPeriod(int value) {
        this.totalPeriod = value;
        return this;
    }

    public WarmupCosineBuilder iterationsPerEpoch(int value) {
        this.iterationsPerEpoch = value;
        return this;
    }

    public WarmupCosineSchedule build() {
        double peak = Builders.required("peakValue", peakValue);
        return new WarmupCosineSchedule(unit, peak, warmupStartValue,
                Builders.minValue(minValue, minRatio, "peakValue", peak),
                Builders.required("warmupPeriod", warmupPeriod), Builders.required("totalPeriod", totalPeriod), iterationsPerEpoch);
    }
}
