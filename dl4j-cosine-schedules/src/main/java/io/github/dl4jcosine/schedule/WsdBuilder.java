package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Builds a {@link WarmupStableDecaySchedule}:
 * {@code Schedules.wsd(unit).peakValue(3e-4).warmupPeriod(2000).stablePeriod(88000).decayPeriod(10000).build()}.
 * Required: peakValue, warmupPeriod, stablePeriod, decayPeriod; unset: warmupStartValue 0, minValue 0 (or
 * {@code minRatio}), LINEAR warmup, COSINE decay (Hugging Face's defaults), iterationsPerEpoch 0. {@code build()}
 * names a required property that was never set.
 */
public final class WsdBuilder {

    private final ScheduleType unit;
    private Double peakValue;
    private double warmupStartValue;
    private Double minValue;
    private Double minRatio;
    private Integer warmupPeriod;
    private Integer stablePeriod;
    private Integer decayPeriod;
    private WarmupStableDecaySchedule.Shape warmupShape = WarmupStableDecaySchedule.Shape.LINEAR;
    private WarmupStableDecaySchedule.Shape decayShape = WarmupStableDecaySchedule.Shape.COSINE;
    private int iterationsPerEpoch;

    WsdBuilder(ScheduleType unit) {
        this.unit = unit;
    }

    public WsdBuilder peakValue(double value) {
        this.peakValue = value;
        return this;
    }

    public WsdBuilder warmupStartValue(double value) {
        this.warmupStartValue = value;
        return this;
    }

    public WsdBuilder minValue(double value) {
        this.minValue = value;
        return this;
    }

    /** {@code minValue = ratio x peakValue}, {@code 0 <= ratio <= 1} (Hugging Face's {@code min_lr_ratio}). */
    public WsdBuilder minRatio(double ratio) {
        this.minRatio = Builders.checkMinRatio(ratio);
        return this;
    }

    public WsdBuilder warmupPeriod(int value) {
        this.warmupPeriod = value;
        return this;
    }

    public WsdBuilder stablePeriod(int value) {
        this.stablePeriod = value;
        return this;
    }

    public WsdBuilder decayPeriod(int value) {
        this.decayPeriod = value;
        return this;
    }

    public WsdBuilder warmupShape(WarmupStableDecaySchedule.Shape value) {
        this.warmupShape = value;
        return this;
    }

    public WsdBuilder decayShape(WarmupStableDecaySchedule.Shape value) {
        this.decayShape = value;
        return this;
    }

    public WsdBuilder iterationsPerEpoch(int value) {
        this.iterationsPerEpoch = value;
        return this;
    }

    public WarmupStableDecaySchedule build() {
        double peak = Builders.required("peakValue", peakValue);
        return new WarmupStableDecaySchedule(unit, peak, warmupStartValue,
                Builders.minValue(minValue, minRatio, "peakValue", peak), Builders.required("warmupPeriod", warmupPeriod),
                Builders.required("stablePeriod", stablePeriod), Builders.required("decayPeriod", decayPeriod), warmupShape,
                decayShape, iterationsPerEpoch);
    }
}
