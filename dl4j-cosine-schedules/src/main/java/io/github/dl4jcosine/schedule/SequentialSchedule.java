package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Schedules one after another (PyTorch {@code SequentialLR}, braintools {@code SequentialLR}, optax
 * {@code join_schedules}).
 *
 * <pre>{@code
 * m_0 = 0, m_i = milestones[i - 1] (i = 1 .. k-1), s_0 .. s_(k-1) = schedules
 * value(t) = s_i(t - m_i)   for m_i <= t < m_(i+1)   (the last schedule runs on forever)
 * }</pre>
 * where {@code t} is the time in this schedule's unit ({@code scheduleType}, with fractional epochs when
 * {@code iterationsPerEpoch > 0}). Each schedule's own time restarts at 0 at its milestone, as in
 * PyTorch, which calls {@code scheduler.step(0)} there: schedule {@code i} sees the counters it would
 * have seen had training started at {@code m_i}. The value at {@code t = m_i} is {@code s_i(0)}; a jump
 * at a milestone is whatever the two schedules make it (see the preview's seam check).
 * Schedules of ours must use the same unit and {@code iterationsPerEpoch}; DL4J's own the same
 * {@code ScheduleType}.
 *
 * <pre>{@code
 * // PyTorch SequentialLR([LinearLR(0.1 -> 1, 5), CosineAnnealingLR(T_max=85)], milestones=[5]), base lr 0.1
 * new SequentialSchedule(ScheduleType.EPOCH,
 *         Arrays.asList(new LinearSchedule(ScheduleType.EPOCH, 0.01, 0.1, 5),
 *                       new CosineAnnealingSchedule(ScheduleType.EPOCH, 0.1, 0.0, 85)),
 *         new int[] {5});
 * }</pre>
 */
@JsonDeserialize(using = StrictJson.class)
public final class SequentialSchedule implements ISchedule, TimedSchedule {

    private static final long serialVersionUID = 20261122L;

    private final ScheduleType scheduleType;
    private final List<ISchedule> schedules;
    private final int[] milestones;
    private final int iterationsPerEpoch;
    /** The largest value, derived in the constructor; never in JSON. */
    @JsonIgnore
    private final double largest;

    /**
     * @param scheduleType       unit of the milestones: {@code ITERATION} or {@code EPOCH}
     * @param schedules          the schedules in order, not null or empty, no null element, same unit (for a
     *                           {@link ProductSchedule}: every factor's), at most {@value Nesting#MAX_DEPTH} - 1
     *                           schedules deep, their values in {@code [0, Double.MAX_VALUE / 2]}
     * @param milestones         where schedules 1, 2, ... start: one fewer than the schedules, each
     *                           {@code > 0}, strictly increasing
     * @param iterationsPerEpoch 0, or with {@code EPOCH} the iterations per epoch (fractional epochs)
     * @throws IllegalArgumentException naming the parameter, if any rule above is broken
     */
    @JsonCreator
    public SequentialSchedule(@JsonProperty(value = "scheduleType", required = true) ScheduleType scheduleType,
                              @JsonProperty(value = "schedules", required = true) List<ISchedule> schedules,
                              @JsonProperty(value = "milestones", required = true) int[] milestones,
                              @JsonProperty("iterationsPerEpoch") int iterationsPerEpoch) {
        ScheduleTime.checkUnit(scheduleType, iterationsPerEpoch);
        this.scheduleType = scheduleType;
        this.schedules = Parts.copyOf("schedules", schedules);
        this.milestones = Checks.notNull("milestones", milestones).clone();
        this.iterationsPerEpoch = iterationsPerEpoch;
        Checks.argument(milestones.length == schedules.size() - 1, "milestones (" + Arrays.toString(milestones)
                + ") must have one fewer entry than schedules (" + schedules.size() + ")");
        for (int i = 0; i < milestones.length; i++) {
            Checks.argument(milestones[i] > (i == 0 ? 0 : milestones[i - 1]), "milestones ("
                    + Arrays.toString(milestones) + ") must be > 0 and strictly increasing");
        }
        Units.checkAllSame("schedules", this.schedules, scheduleType, iterationsPerEpoch);
        Nesting.checkDepth("schedules", this.schedules);
        double bound = 0;
        for (int i = 0; i < this.schedules.size(); i++) {
            bound = Math.max(bound, ValueBounds.largest("schedules[" + i + "]", this.schedules.get(i)));
        }
        this.largest = bound;
    }

    /** Milestones stepped per iteration or per whole epoch ({@code iterationsPerEpoch = 0}). */
    public SequentialSchedule(ScheduleType scheduleType, List<ISchedule> schedules, int[] milestones) {
        this(scheduleType, schedules, milestones, 0);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double t = ScheduleTime.of(scheduleType, iterationsPerEpoch, iteration, epoch);
        int i = milestones.length;
        while (i > 0 && t < milestones[i - 1]) {
            i--;
        }
        if (i == 0) {
            return schedules.get(0).valueAt(iteration, epoch);
        }
        int start = milestones[i - 1];
        return schedules.get(i).valueAt(TimeShift.iteration(scheduleType, iterationsPerEpoch, iteration, epoch, start),
                TimeShift.epoch(scheduleType, epoch, start));
    }

    /**
     * The largest value this schedule gives at any {@code (iteration, epoch)}: the largest of its schedules'
     * ({@code +Infinity} when one is a schedule from elsewhere that cannot be bounded).
     */
    @Override
    public double largestValue() {
        return largest;
    }

    @Override
    public ISchedule clone() {
        return new SequentialSchedule(scheduleType, Parts.cloneAll(schedules), milestones, iterationsPerEpoch);
    }

    /** Java serialization keeps only the configuration; the derived bound is recomputed (and rechecked). */
    private Object readResolve() {
        return new SequentialSchedule(scheduleType, schedules, milestones, iterationsPerEpoch);
    }

    @Override
    public ScheduleType getScheduleType() {
        return scheduleType;
    }

    /** The schedules, unmodifiable. */
    public List<ISchedule> getSchedules() {
        return schedules;
    }

    /** A copy of the milestones. */
    public int[] getMilestones() {
        return milestones.clone();
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
        if (!(o instanceof SequentialSchedule)) {
            return false;
        }
        SequentialSchedule that = (SequentialSchedule) o;
        return scheduleType == that.scheduleType
                && schedules.equals(that.schedules)
                && Arrays.equals(milestones, that.milestones)
                && iterationsPerEpoch == that.iterationsPerEpoch;
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(scheduleType, schedules, iterationsPerEpoch) + Arrays.hashCode(milestones);
    }

    @Override
    public String toString() {
        return "SequentialSchedule(schedules=" + schedules + ", milestones=" + Arrays.toString(milestones) + ", "
                + ScheduleTime.describe(scheduleType, iterationsPerEpoch) + ")";
    }
}
