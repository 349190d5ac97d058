package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.util.Collections;
import java.util.Objects;

/**
 * A linear warmup in front of any {@link ISchedule} (DJL {@code WarmUpTracker}, timm's
 * {@code warmup_t}, PyTorch {@code SequentialLR([LinearLR, schedule], milestones=[warmupPeriod])}).
 *
 * <pre>{@code
 * W = warmupPeriod, s = schedule, s(0) = s's value at its first update
 * value(t) = startValue + (s(0) - startValue) * t / W   for 0 <= t < W
 * value(t) = s(t - W)                                  for t >= W
 * }</pre>
 * where {@code t} is the time in this wrapper's unit ({@code scheduleType}, with fractional epochs when
 * {@code iterationsPerEpoch > 0}). The wrapped schedule sees the counters it would have seen had
 * training started at {@code t = W}: iteration {@code - W} for {@code ITERATION}, epoch {@code - W}
 * (and iteration {@code - W * iterationsPerEpoch}) for {@code EPOCH}. So the warmup ends exactly at
 * {@code s(0)}, with no jump at the seam. {@code startValue} may be 0 (PyTorch's {@code LinearLR} needs a
 * positive start factor). A wrapped schedule of ours must use the same unit and
 * {@code iterationsPerEpoch}; DL4J's own schedules ({@code StepSchedule}, {@code ExponentialSchedule},
 * {@code MapSchedule}, ...) must use the same {@code ScheduleType}.
 *
 * <pre>{@code
 * // 500 iterations of warmup from 0, then DL4J's step decay
 * new Adam(new LinearWarmupSchedule(ScheduleType.ITERATION, 500, 0.0,
 *         new StepSchedule(ScheduleType.ITERATION, 1e-3, 0.5, 10_000)));
 * }</pre>
 *
 * @see <a href="https://arxiv.org/abs/1706.02677">Goyal et al., Accurate, Large Minibatch SGD, arXiv:1706.02677</a>
 */
@JsonDeserialize(using = StrictJson.class)
public final class LinearWarmupSchedule implements ISchedule, TimedSchedule {

    private static final long serialVersionUID = 20261122L;

    private final ScheduleType scheduleType;
    private final int warmupPeriod;
    private final double startValue;
    private final ISchedule schedule;
    private final int iterationsPerEpoch;
    /** {@code schedule}'s first value, derived in the constructor; never in JSON. */
    @JsonIgnore
    private final double target;
    /** The largest value, derived in the constructor; never in JSON. */
    @JsonIgnore
    private final double largest;

    /**
     * @param scheduleType       unit of {@code warmupPeriod}: {@code ITERATION} or {@code EPOCH}
     * @param warmupPeriod       length of the warmup, {@code > 0}
     * @param startValue         value at {@code t = 0}, in {@code [0, Double.MAX_VALUE / 2]}
     * @param schedule           the schedule after the warmup, not null, same unit (for a
     *                           {@link ProductSchedule}: every factor's), at most {@value Nesting#MAX_DEPTH} - 1
     *                           schedules deep, its values in {@code [0, Double.MAX_VALUE / 2]}
     * @param iterationsPerEpoch 0, or with {@code EPOCH} the iterations per epoch (fractional epochs)
     * @throws IllegalArgumentException naming the parameter, if any rule above is broken
     */
    @JsonCreator
    public LinearWarmupSchedule(@JsonProperty(value = "scheduleType", required = true) ScheduleType scheduleType,
                                @JsonProperty(value = "warmupPeriod", required = true) int warmupPeriod,
                                @JsonProperty("startValue") double startValue,
                                @JsonProperty(value = "schedule", required = true) ISchedule schedule,
                                @JsonProperty("iterationsPerEpoch") int iterationsPerEpoch) {
        ScheduleTime.checkUnit(scheduleType, iterationsPerEpoch);
        this.scheduleType = scheduleType;
        this.warmupPeriod = Checks.positive("warmupPeriod", warmupPeriod);
        this.startValue = Checks.value("startValue", startValue);
        this.schedule = Checks.notNull("schedule", schedule);
        this.iterationsPerEpoch = iterationsPerEpoch;
        Units.checkSame("schedule", schedule, scheduleType, iterationsPerEpoch);
        Nesting.checkDepth("schedule", Collections.singletonList(schedule));
        double bound = ValueBounds.largest("schedule", schedule);
        this.target = Checks.value("schedule's first value", schedule.valueAt(0, 0));
        this.largest = Math.max(startValue, bound);
    }

    /** Warmup stepped per iteration or per whole epoch ({@code iterationsPerEpoch = 0}). */
    public LinearWarmupSchedule(ScheduleType scheduleType, int warmupPeriod, double startValue, ISchedule schedule) {
        this(scheduleType, warmupPeriod, startValue, schedule, 0);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double t = ScheduleTime.of(scheduleType, iterationsPerEpoch, iteration, epoch);
        if (t < warmupPeriod) {
            return ScheduleTime.linear(startValue, target, t, warmupPeriod);
        }
        return schedule.valueAt(TimeShift.iteration(scheduleType, iterationsPerEpoch, iteration, epoch, warmupPeriod),
                TimeShift.epoch(scheduleType, epoch, warmupPeriod));
    }

    /**
     * The largest value this schedule gives at any {@code (iteration, epoch)}: the larger of {@code startValue}
     * and the wrapped schedule's largest ({@code +Infinity} when that is a schedule from elsewhere that
     * cannot be bounded).
     */
    @Override
    public double largestValue() {
        return largest;
    }

    @Override
    public ISchedule clone() {
        return new LinearWarmupSchedule(scheduleType, warmupPeriod, startValue, schedule.clone(), iterationsPerEpoch);
    }

    /** Java serialization keeps only the configuration; the derived first value is recomputed (and rechecked). */
    private Object readResolve() {
        return new LinearWarmupSchedule(scheduleType, warmupPeriod, startValue, schedule, iterationsPerEpoch);
    }

    @Override
    public ScheduleType getScheduleType() {
        return scheduleType;
    }

    public int getWarmupPeriod() {
        return warmupPeriod;
    }

    public double getStartValue() {
        return startValue;
    }

    public ISchedule getSchedule() {
        return schedule;
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
        if (!(o instanceof LinearWarmupSchedule)) {
            return false;
        }
        LinearWarmupSchedule that = (LinearWarmupSchedule) o;
        return scheduleType == that.scheduleType
                && warmupPeriod == that.warmupPeriod
                && Double.compare(startValue, that.startValue) == 0
                && schedule.equals(that.schedule)
                && iterationsPerEpoch == that.iterationsPerEpoch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheduleType, warmupPeriod, startValue, schedule, iterationsPerEpoch);
    }

    @Override
    public String toString() {
        return "LinearWarmupSchedule(warmupPeriod=" + warmupPeriod + ", startValue=" + startValue + ", schedule="
                + schedule + ", " + ScheduleTime.describe(scheduleType, iterationsPerEpoch) + ")";
    }
}
