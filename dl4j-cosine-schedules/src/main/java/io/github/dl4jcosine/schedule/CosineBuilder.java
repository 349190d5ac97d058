package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Builds a {@link CosineAnnealingSchedule}: {@code Schedules.cosine(unit).initialValue(0.1).period(90).build()}.
 * Required: initialValue, period; unset: minValue 0 (or {@code minRatio}), iterationsPerEpoch 0. {@code build()}
 * names a required property that was never set.
 */
public final class CosineBuilder {

    private final ScheduleType unit;
    private Double initialValue;
    private Double minValue;
    private Double minRatio;
    private Integer period;
    private int iterationsPerEpoch;

    CosineBuilder(ScheduleType unit) {
        this.unit = unit;
    }

    public CosineBuilder initialValue(double value) {
        this.initialValue = value;
        return this;
    }

    public CosineBuilder minValue(double value) {
        this.minValue = value;
        return this;
    }

    /** {@code minValue = ratio x initialValue}, {@code 0 <= ratio <= 1} (Hugging Face's {@code min_lr_ratio}). */
    public CosineBuilder minRatio(double ratio) {
        this.minRatio = Builders.checkMinRatio(ratio);
        return this;
    }

    public CosineBuilder period(int value) {
        this.period = value;
        return this;
    }

    public CosineBuilder iterationsPerEpoch(int value) {
        this.iterationsPerEpoch = value;
        return this;
    }

    public CosineAnnealingSchedule build() {
        double initial = Builders.required("initialValue", initialValue);
        return new CosineAnnealingSchedule(unit, initial,
                Builders.minValue(minValue, minRatio, "initialValue", initial), Builders.required("period", period),
                iterationsPerEpoch);
    }
}
