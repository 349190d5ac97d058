package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Builds a {@link CosineWarmRestartsSchedule}:
 * {@code Schedules.sgdr(unit).initialValue(0.1).firstPeriod(10).periodMultiplier(2).build()}. Required: initialValue,
 * firstPeriod; unset: minValue 0 (or {@code minRatio}), periodMultiplier 1, peakDecay 1, maxCycles 0 (unlimited),
 * iterationsPerEpoch 0. {@code build()} names a required property that was never set.
 */
public final class SgdrBuilder {

    private final ScheduleType unit;
    private Double initialValue;
    private Double minValue;
    private Double minRatio;
    private Integer firstPeriod;
    private double periodMultiplier = 1.0;
    private double peakDecay = 1.0;
    private int maxCycles;
    private int iterationsPerEpoch;

    SgdrBuilder(ScheduleType unit) {
        this.unit = unit;
    }

    public SgdrBuilder initialValue(double value) {
        this.initialValue = value;
        return this;
    }

    public SgdrBuilder minValue(double value) {
        this.minValue = value;
        return this;
    }

    /** {@code minValue = ratio x initialValue}, {@code 0 <= ratio <= 1} (Hugging Face's {@code min_lr_ratio}). */
    public SgdrBuilder minRatio(double ratio) {
        this.minRatio = Builders.checkMinRatio(ratio);
        return this;
    }

    public SgdrBuilder firstPeriod(int value) {
        this.firstPeriod = value;
        return this;
    }

    public SgdrBuilder periodMultiplier(double value) {
        this.periodMultiplier = value;
        return this;
    }

    public SgdrBuilder peakDecay(double value) {
        this.peakDecay = value;
        return this;
    }

    public SgdrBuilder maxCycles(int value) {
        this.maxCycles = value;
        return this;
    }

    public SgdrBuilder iterationsPerEpoch(int value) {
        this.iterationsPerEpoch = value;
        return this;
    }

    public CosineWarmRestartsSchedule build() {
        double initial = Builders.required("initialValue", initialValue);
        return new CosineWarmRestartsSchedule(unit, initial,
                Builders.minValue(minValue, minRatio, "initialValue", initial),
                Builders.required("firstPeriod", firstPeriod), periodMultiplier, peakDecay, maxCycles, iterationsPerEpoch);
    }
}
