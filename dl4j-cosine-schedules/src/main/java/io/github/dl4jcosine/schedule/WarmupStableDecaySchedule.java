package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.util.Objects;

/**
 * Warmup-stable-decay (WSD, "trapezoidal"), the LLM pre-training schedule: a warmup, a constant rate that
 * can be extended for as long as training goes on, then a short decay (Hugging Face transformers
 * {@code get_wsd_schedule}; MiniCPM).
 *
 * <pre>{@code
 * W = warmupPeriod, S = stablePeriod, D = decayPeriod
 * value(t) = warmupStartValue + (peakValue - warmupStartValue) * up(t / W)        for 0 <= t < W
 * value(t) = peakValue                                                          for W <= t < W + S
 * value(t) = minValue + (peakValue - minValue) * down((t - W - S) / D)           for W + S <= t < W + S + D
 * value(t) = minValue                                                           for t >= W + S + D
 * shape           up(p)               down(p)
 * LINEAR          p                   1 - p
 * COSINE          (1 - cos(pi p)) / 2  (1 + cos(pi p)) / 2
 * ONE_MINUS_SQRT  1 - sqrt(1 - p)     1 - sqrt(p)
 * }</pre>
 * where {@code t} is the time in the unit of {@code scheduleType} (iterations, whole epochs, or
 * fractional epochs when {@code iterationsPerEpoch > 0}). The value is {@code warmupStartValue} at
 * {@code t = 0} ({@code peakValue} when {@code W = 0}), {@code peakValue} from {@code t = W} on, still
 * {@code peakValue} at the first decay update {@code t = W + S}, a step above {@code minValue} at the
 * last decay update, and {@code minValue} from {@code t = W + S + D} on. Any of the three periods may be
 * 0, not all.
 *
 * <p>Parameters, with their Hugging Face names: {@code peakValue} = the optimizer's {@code lr},
 * {@code minValue} = {@code min_lr_ratio * lr}, {@code warmupPeriod} = {@code num_warmup_steps},
 * {@code stablePeriod} = {@code num_stable_steps}, {@code decayPeriod} = {@code num_decay_steps},
 * {@code warmupShape} / {@code decayShape} = {@code warmup_type} / {@code decay_type} ({@code "linear"},
 * {@code "cosine"}, {@code "1-sqrt"}; Hugging Face's defaults are {@code LINEAR} and {@code COSINE}).
 * Hugging Face warms up from {@code min_lr_ratio * lr}; here the warmup starts from its own
 * {@code warmupStartValue} (set it to {@code minValue} for Hugging Face's curve, to 0 for a warmup from
 * zero). With {@code LINEAR} warmup and {@code COSINE} decay this is also PyTorch's
 * {@code SequentialLR([LinearLR, ConstantLR(factor=1), CosineAnnealingLR(T_max=D)], milestones=[W, W+S])}
 * up to {@code t = W + S + D}, after which PyTorch's cosine rises again and this schedule holds
 * {@code minValue}.
 *
 * <pre>{@code
 * // 2,000 updates of warmup from 0, a stable 3e-4 until update 90,000, a 1-sqrt cooldown to 0 over 10,000
 * new Adam(new WarmupStableDecaySchedule(ScheduleType.ITERATION, 3e-4, 0.0, 0.0, 2_000, 88_000, 10_000,
 *         WarmupStableDecaySchedule.Shape.LINEAR, WarmupStableDecaySchedule.Shape.ONE_MINUS_SQRT));
 * }</pre>
 *
 * @see <a href="https://arxiv.org/abs/2404.06395">Hu et al., MiniCPM: Unveiling the Potential of Small
 *      Language Models with Scalable Training Strategies, arXiv:2404.06395</a>
 * @see <a href="https://arxiv.org/abs/2405.18392">Hägele et al., Scaling Laws and Compute-Optimal Training
 *      Beyond Fixed Training Durations, arXiv:2405.18392 (1-sqrt cooldown)</a>
 */
@JsonDeserialize(using = StrictJson.class)
public final class WarmupStableDecaySchedule implements ISchedule, TimedSchedule {

    private static final long serialVersionUID = 20261129L;

    /** The curve of the warmup (rising, {@code up(p)}) or of the decay (falling, {@code down(p)}). */
    public enum Shape {
        /** {@code up(p) = p}, {@code down(p) = 1 - p}. */
        LINEAR,
        /** {@code up(p) = (1 - cos(pi p)) / 2}, {@code down(p) = (1 + cos(pi p)) / 2}. */
        COSINE,
        /** {@code up(p) = 1 - sqrt(1 - p)}, {@code down(p) = 1 - sqrt(p)}. */
        ONE_MINUS_SQRT;

        /** The rising factor at progress {@code p} in {@code [0, 1)}: Hugging Face's warmup factor. */
        double up(double p) {
            switch (this) {
                case LINEAR:
                    return p;
                case COSINE:
                    return 0.5 * (1.0 - Math.cos(Math.PI * p));
                default:
                    return 1.0 - Math.sqrt(1.0 - p);
            }
        }
    }

    private final ScheduleType scheduleType;
    private final double peakValue;
    private final double warmupStartValue;
    private final double minValue;
    private final int warmupPeriod;
    private final int stablePeriod;
    private final int decayPeriod;
    private final Shape warmupShape;
    private final Shape decayShape;
    private final int iterationsPerEpoch;

    /**
     * {@code W}, {@code D}, where the decay starts and ends ({@code W + S}, {@code W + S + D}), exact in double:
     * derived, never in JSON (and no int-to-double conversion in {@code valueAt}, see ScheduleTime.exact).
     */
    @JsonIgnore
    private final double warmupLength;
    @JsonIgnore
    private final double decayLength;
    @JsonIgnore
    private final double decayStart;
    @JsonIgnore
    private final double decayEnd;
    /** {@code ScheduleTime.half(peakValue - minValue)}, the half range of a cosine decay: derived, never in JSON. */
    @JsonIgnore
    private final double decayHalf;

    /**
     * @param scheduleType       unit of the periods: {@code ITERATION} or {@code EPOCH}
     * @param peakValue          value of the stable phase, finite, {@code >= 0}
     * @param warmupStartValue   value at {@code t = 0}, finite, {@code >= 0}
     * @param minValue           value at {@code t >= W + S + D}, finite, {@code 0 <= minValue <= peakValue}
     * @param warmupPeriod       length of the warmup {@code W}, {@code >= 0}
     * @param stablePeriod       length of the stable phase {@code S}, {@code >= 0}
     * @param decayPeriod        length of the decay {@code D}, {@code >= 0}; not all three periods 0
     * @param warmupShape        curve of the warmup, not null
     * @param decayShape         curve of the decay, not null
     * @param iterationsPerEpoch 0, or with {@code EPOCH} the iterations per epoch (fractional epochs)
     * @throws IllegalArgumentException naming the parameter, if any rule above is broken
     */
    @JsonCreator
    public WarmupStableDecaySchedule(
            @JsonProperty(value = "scheduleType", required = true) ScheduleType scheduleType,
            @JsonProperty(value = "peakValue", required = true) double peakValue,
            @JsonProperty("warmupStartValue") double warmupStartValue,
            @JsonProperty("minValue") double minValue,
            @JsonProperty(value = "warmupPeriod", required = true) int warmupPeriod,
            @JsonProperty(value = "stablePeriod", required = true) int stablePeriod,
            @JsonProperty(value = "decayPeriod", required = true) int decayPeriod,
            @JsonProperty(value = "warmupShape", required = true) Shape warmupShape,
            @JsonProperty(value = "decayShape", required = true) Shape decayShape,
            @JsonProperty("iterationsPerEpoch") int iterationsPerEpoch) {
        ScheduleTime.checkUnit(scheduleType, iterationsPerEpoch);
        this.scheduleType = scheduleType;
        this.peakValue = Checks.value("peakValue", peakValue);
        this.warmupStartValue = Checks.value("warmupStartValue", warmupStartValue);
        this.minValue = Checks.value("minValue", minValue);
        Checks.argument(minValue <= peakValue, "minValue (" + minValue + ") must be <= peakValue (" + peakValue + ")");
        this.warmupPeriod = Checks.nonNegative("warmupPeriod", warmupPeriod);
        this.stablePeriod = Checks.nonNegative("stablePeriod", stablePeriod);
        this.decayPeriod = Checks.nonNegative("decayPeriod", decayPeriod);
        Checks.argument((long) warmupPeriod + stablePeriod + decayPeriod > 0, "warmupPeriod (0), stablePeriod (0)"
                + " and decayPeriod (0) must not all be 0");
        this.warmupShape = Checks.notNull("warmupShape", warmupShape);
        this.decayShape = Checks.notNull("decayShape", decayShape);
        this.iterationsPerEpoch = iterationsPerEpoch;
        warmupLength = warmupPeriod;
        decayLength = decayPeriod;
        decayStart = (double) warmupPeriod + stablePeriod;
        decayEnd = decayStart + decayPeriod;
        decayHalf = ScheduleTime.half(this.peakValue - this.minValue);
    }

    /** A schedule stepped per iteration or per whole epoch ({@code iterationsPerEpoch = 0}). */
    public WarmupStableDecaySchedule(ScheduleType scheduleType, double peakValue, double warmupStartValue,
                                     double minValue, int warmupPeriod, int stablePeriod, int decayPeriod,
                                     Shape warmupShape, Shape decayShape) {
        this(scheduleType, peakValue, warmupStartValue, minValue, warmupPeriod, stablePeriod, decayPeriod,
                warmupShape, decayShape, 0);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double t = ScheduleTime.of(scheduleType, iterationsPerEpoch, iteration, epoch);
        if (t > decayStart && t < decayEnd) {   // the decay past its first update, tested first: two comparisons
            return decay((t - decayStart) / decayLength);
        }
        if (t < warmupLength) {
            return warmupStartValue + (peakValue - warmupStartValue) * warmupShape.up(t / warmupLength);
        }
        if (t >= decayEnd) {
            return minValue;
        }
        if (t <= decayStart) {   // the first decay update is down(0) = 1: the peak, exactly
            return peakValue;
        }
        return decay((t - decayStart) / decayLength);
    }

    /** The value at decay progress {@code p} in {@code (0, 1)}: {@code minValue + (peakValue - minValue) * down(p)}. */
    private double decay(double p) {
        if (decayShape == Shape.COSINE) {
            // bit for bit minValue + (peakValue - minValue) * down(p) (halving is exact but for subnormals, where
            // ScheduleTime.half rounds toward zero: never above peakValue), with the half range precomputed: one
            // operation fewer after the cosine
            return minValue + decayHalf * (1.0 + Math.cos(Math.PI * p));
        }
        if (decayShape == Shape.LINEAR) {
            return minValue + (peakValue - minValue) * (1.0 - p);
        }
        return minValue + (peakValue - minValue) * (1.0 - Math.sqrt(p));
    }

    /**
     * The largest value this schedule gives at any {@code (iteration, epoch)}: every phase moves between two of
     * its values (cosine, line, 1 - sqrt), so the largest of them (for the value bounds of wrapping schedules).
     */
    @Override
    public double largestValue() {
        return Math.max(peakValue, Math.max(warmupStartValue, minValue));
    }

    @Override
    public ISchedule clone() {
        return new WarmupStableDecaySchedule(scheduleType, peakValue, warmupStartValue, minValue, warmupPeriod,
                stablePeriod, decayPeriod, warmupShape, decayShape, iterationsPerEpoch);
    }

    /** Java serialization keeps only the configuration; the derived phase bounds are rebuilt (and rechecked). */
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

    public int getStablePeriod() {
        return stablePeriod;
    }

    public int getDecayPeriod() {
        return decayPeriod;
    }

    public Shape getWarmupShape() {
        return warmupShape;
    }

    public Shape getDecayShape() {
        return decayShape;
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
        if (!(o instanceof WarmupStableDecaySchedule)) {
            return false;
        }
        WarmupStableDecaySchedule that = (WarmupStableDecaySchedule) o;
        return scheduleType == that.scheduleType
                && Double.compare(peakValue, that.peakValue) == 0
                && Double.compare(warmupStartValue, that.warmupStartValue) == 0
                && Double.compare(minValue, that.minValue) == 0
                && warmupPeriod == that.warmupPeriod
                && stablePeriod == that.stablePeriod
                && decayPeriod == that.decayPeriod
                && warmupShape == that.warmupShape
                && decayShape == that.decayShape
                && iterationsPerEpoch == that.iterationsPerEpoch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheduleType, peakValue, warmupStartValue, minValue, warmupPeriod, stablePeriod,
                decayPeriod, warmupShape, decayShape, iterationsPerEpoch);
    }

    @Override
    public String toString() {
        return "WarmupStableDecaySchedule(peakValue=" + peakValue + ", warmupStartValue=" + warmupStartValue
                + ", minValue=" + minValue + ", warmupPeriod=" + warmupPeriod + ", stablePeriod=" + stablePeriod
                + ", decayPeriod=" + decayPeriod + ", warmupShape=" + warmupShape + ", decayShape=" + decayShape
                + ", " + ScheduleTime.describe(scheduleType, iterationsPerEpoch) + ")";
    }
}
