package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.util.Objects;

/**
 * Linear warmup followed by cosine decay, the transformer / ImageNet recipe (PyTorch
 * {@code SequentialLR([LinearLR, CosineAnnealingLR], milestones=[warmup])}, timm
 * {@code CosineLRScheduler(warmup_t, warmup_lr_init)}, optax {@code warmup_cosine_decay_schedule},
 * braintools {@code WarmupCosineSchedule}).
 *
 * <pre>{@code
 * W = warmupPeriod, T = totalPeriod
 * value(t) = warmupStartValue + (peakValue - warmupStartValue) * t / W                 for 0 <= t < W
 * value(t) = minValue + (peakValue - minValue) * (1 + cos(pi * (t - W) / (T - W))) / 2  for W <= t <= T
 * value(t) = minValue                                                                 for t > T
 * }</pre>
 * where {@code t} is the time in the unit of {@code scheduleType} (iterations, whole epochs, or
 * fractional epochs when {@code iterationsPerEpoch > 0}). The value is {@code warmupStartValue} at
 * {@code t = 0} ({@code peakValue} when {@code W = 0}), rises linearly and reaches {@code peakValue}
 * exactly at {@code t = W}, where the cosine starts, so there is no jump at the seam; it reaches
 * {@code minValue} at {@code t = T} and holds it afterwards. {@code totalPeriod} counts the warmup:
 * the cosine lasts {@code T - W}.
 *
 * <p>Parameters, with their PyTorch / optax names: {@code peakValue} = the optimizer's {@code lr} /
 * {@code peak_value}, {@code warmupStartValue} = {@code lr * start_factor} of {@code LinearLR} /
 * {@code init_value} (0 is allowed here; PyTorch's {@code LinearLR} needs a positive start factor),
 * {@code minValue} = {@code eta_min} / {@code end_value}, {@code warmupPeriod} = {@code total_iters}
 * of {@code LinearLR} / {@code warmup_steps}, {@code totalPeriod} = {@code warmup + T_max} /
 * {@code decay_steps}.
 *
 * <pre>{@code
 * // 5 warmup epochs from 0, then cosine to 0 at epoch 90, moving every iteration (390 per epoch)
 * new Adam(new WarmupCosineSchedule(ScheduleType.EPOCH, 1e-3, 0.0, 0.0, 5, 90, 390));
 * }</pre>
 *
 * @see <a href="https://arxiv.org/abs/1706.02677">Goyal et al., Accurate, Large Minibatch SGD:
 *      Training ImageNet in 1 Hour, arXiv:1706.02677 (gradual warmup)</a>
 * @see <a href="https://arxiv.org/abs/1608.03983">Loshchilov &amp; Hutter, SGDR, ICLR 2017,
 *      arXiv:1608.03983 (cosine annealing)</a>
 */
@JsonDeserialize(using = StrictJson.class)
public final class WarmupCosineSchedule implements ISchedule, TimedSchedule {

    private static final long serialVersionUID = 20261122L;

    private final ScheduleType scheduleType;
    private final double peakValue;
    private final double warmupStartValue;
    private final double minValue;
    private final int warmupPeriod;
    private final int totalPeriod;
    private final int iterationsPerEpoch;

    /**
     * Derived, never in JSON (rebuilt by {@link #readResolve} after Java serialization): the cosine's half range
     * {@code ScheduleTime.half(peakValue - minValue)}, and its start, end and length as doubles, so that
     * {@code valueAt} computes only what depends on the time.
     */
    @JsonIgnore
    private final double cosineHalf;
    @JsonIgnore
    private final double warmupLength;
    @JsonIgnore
    private final double totalLength;
    @JsonIgnore
    private final double cosineLength;

    /**
     * @param scheduleType       unit of the periods: {@code ITERATION} or {@code EPOCH}
     * @param peakValue          value at the end of the warmup, in {@code [0, Double.MAX_VALUE / 2]}
     * @param warmupStartValue   value at {@code t = 0}, in {@code [0, Double.MAX_VALUE / 2]}
     * @param minValue           value at {@code t >= totalPeriod}, in {@code [0, Double.MAX_VALUE / 2]}
     * @param warmupPeriod       length of the linear warmup, {@code >= 0}
     * @param totalPeriod        end of the cosine, counted from {@code t = 0}, {@code > warmupPeriod}
     * @param iterationsPerEpoch 0, or with {@code EPOCH} the iterations per epoch (fractional epochs)
     * @throws IllegalArgumentException naming the parameter, if any rule above is broken
     */
    @JsonCreator
    public WarmupCosineSchedule(@JsonProperty(value = "scheduleType", required = true) ScheduleType scheduleType,
                                @JsonProperty(value = "peakValue", required = true) double peakValue,
                                @JsonProperty("warmupStartValue") double warmupStartValue,
                                @JsonProperty("minValue") double minValue,
                                @JsonProperty(value = "warmupPeriod", required = true) int warmupPeriod,
                                @JsonProperty(value = "totalPeriod", required = true) int totalPeriod,
                                @JsonProperty("iterationsPerEpoch") int iterationsPerEpoch) {
        ScheduleTime.checkUnit(scheduleType, iterationsPerEpoch);
        this.scheduleType = scheduleType;
        this.peakValue = Checks.value("peakValue", peakValue);
        this.warmupStartValue = Checks.value("warmupStartValue", warmupStartValue);
        this.minValue = Checks.value("minValue", minValue);
        this.warmupPeriod = Checks.nonNegative("warmupPeriod", warmupPeriod);
        this.totalPeriod = Checks.positive("totalPeriod", totalPeriod);
        this.iterationsPerEpoch = iterationsPerEpoch;
        Checks.argument(totalPeriod > warmupPeriod, "totalPeriod (" + totalPeriod + ") must be > warmupPeriod ("
                + warmupPeriod + "); totalPeriod counts the warmup and the cosine together");
        cosineHalf = ScheduleTime.half(this.peakValue - this.minValue);
        warmupLength = warmupPeriod;
        totalLength = totalPeriod;
        cosineLength = totalLength - warmupLength;
    }

    /** A schedule stepped per iteration or per whole epoch ({@code iterationsPerEpoch = 0}). */
    public WarmupCosineSchedule(ScheduleType scheduleType, double peakValue, double warmupStartValue,
                                double minValue, int warmupPeriod, int totalPeriod) {
        this(scheduleType, peakValue, warmupStartValue, minValue, warmupPeriod, totalPeriod, 0);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double t = ScheduleTime.of(scheduleType, iterationsPerEpoch, iteration, epoch);
        if (t > warmupLength && t < totalLength) {
            // in the cosine past its start: bit for bit ScheduleTime.cosine(peakValue, minValue, t - warmup,
            // total - warmup), its constants precomputed (t - warmup > 0, so without cosine's test for 0)
            return minValue + cosineHalf * (1 + Math.cos(Math.PI * (t - warmupLength) / cosineLength));
        }
        if (t < warmupLength) {
            return ScheduleTime.linear(warmupStartValue, peakValue, t, warmupLength);
        }
        return t >= totalLength ? minValue : peakValue;   // else t == warmup: the start of the cosine, the peak
    }

    /** The largest value this schedule gives at any {@code (iteration, epoch)}: the largest of its three values. */
    @Override
    public double largestValue() {
        return Math.max(peakValue, Math.max(warmupStartValue, minValue));
    }

    @Override
    public ISchedule clone() {
        return new WarmupCosineSchedule(scheduleType, peakValue, warmupStartValue, minValue, warmupPeriod,
                totalPeriod, iterationsPerEpoch);
    }

    /** Java serialization keeps only the configuration; the derived fields are rebuilt (and rechecked). */
    private Object readResolve() {
        return clone();
    }

    @Override
    public ScheduleType getScheduleType() {
        return scheduleType;
    }

    public double getPeakValue() {
        return peakValue;
    }

    public double getWarmupStartValue() {
        return warmupStartValue;
    }

    public double getMinValue() {
        return minValue;
    }

    public int getWarmupPeriod() {
        return warmupPeriod;
    }

    public int getTotalPeriod() {
        return totalPeriod;
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
        if (!(o instanceof WarmupCosineSchedule)) {
            return false;
        }
        WarmupCosineSchedule that = (WarmupCosineSchedule) o;
        return scheduleType == that.scheduleType
                && Double.compare(peakValue, that.peakValue) == 0
                && Double.compare(warmupStartValue, that.warmupStartValue) == 0
                && Double.compare(minValue, that.minValue) == 0
                && warmupPeriod == that.warmupPeriod
                && totalPeriod == that.totalPeriod
                && iterationsPerEpoch == that.iterationsPerEpoch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheduleType, peakValue, warmupStartValue, minValue, warmupPeriod, totalPeriod,
                iterationsPerEpoch);
    }

    @Override
    public String toString() {
        return "WarmupCosineSchedule(peakValue=" + peakValue + ", warmupStartValue=" + warmupStartValue
                + ", minValue=" + minValue + ", warmupPeriod=" + warmupPeriod + ", totalPeriod=" + totalPeriod
                + ", " + ScheduleTime.describe(scheduleType, iterationsPerEpoch) + ")";
    }
}
