package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Builds a {@link OneCycleSchedule}: {@code Schedules.oneCycle(unit).peakValue(0.1).totalPeriod(11700).build()}.
 * Required: peakValue, totalPeriod; unset: initialValue = peakValue / 25, finalValue = initialValue / 1e4,
 * peakFraction 0.3, two phases (PyTorch's {@code div_factor}, {@code final_div_factor}, {@code pct_start}),
 * iterationsPerEpoch 0. {@code build()} names a required property that was never set.
 */
public final class OneCycleBuilder {

    private final ScheduleType unit;
    private Double initialValue;
    private Double peakValue;
    private Double finalValue;
    private Integer totalPeriod;
    private double peakFraction = 0.3;
    private boolean threePhase;
    private int iterationsPerEpoch;

    OneCycleBuilder(ScheduleType unit) {
        this.unit = unit;
    }

    public OneCycleBuilder initialValue(double value) {
        this.initialValue = value;
        return this;
    }

    public OneCycleBuilder peakValue(double value) {
        this.peakValue = value;
        return this;
    }

    public OneCycleBuilder finalValue(double value) {
        this.finalValue = value;
        return this;
    }

    public OneCycleBuilder totalPeriod(int value) {
        this.totalPeriod = value;
        return this;
    }

    public OneCycleBuilder peakFraction(double value) {
        this.peakFraction = value;
        return this;
    }

    public OneCycleBuilder threePhase(boolean value) {
        this.threePhase = value;
        return this;
    }

    public OneCycleBuilder iterationsPerEpoch(int value) {
        this.iterationsPerEpoch = value;
        return this;
    }

    public OneCycleSchedule build() {
        double peak = Checks.value("peakValue", Builders.required("peakValue", peakValue)); // before initialValue = peak / 25
        double initial = initialValue != null ? initialValue : peak / 25.0;
        return new OneCycleSchedule(unit, initial, peak, finalValue != null ? finalValue : initial / 1e4,
                Builders.required("totalPeriod", totalPeriod), peakFraction, threePhase, iterationsPerEpoch);
    }
}
