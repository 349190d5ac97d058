package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.CycleSchedule;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.PolySchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.SigmoidSchedule;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Unit checks and time shifts for schedules that contain other schedules. A wrapper shifts time in its
 * own unit and hands the wrapped schedule the counters it would have seen had training started at the
 * shift; a wrapped schedule whose unit is known and differs is refused.
 */
final class Units {

    private Units() {
    }

    /** How deep schedules may nest: a wrapper around a wrapper around ... at most this many schedules on a path. */
    static final int MAX_DEPTH = 64;

    /**
     * Rejects {@code child} when its unit is known and is not {@code (scheduleType, iterationsPerEpoch)}.
     * Our schedules must match both; DL4J's own {@code EPOCH} schedules, which only know whole epochs,
     * are accepted by fractional-epoch wrappers; schedules without a unit (FixedSchedule, others') pass.
     * The factors of a {@link ProductSchedule} are checked one by one (a product has no unit of its own,
     * and the wrapper shifts every factor's counters the same way).
     */
    static void checkSame(String name, ISchedule child, ScheduleType scheduleType, int iterationsPerEpoch) {
        Checks.argument(!(child instanceof PlateauSchedule), name + " (" + child + ") is a PlateauSchedule, which"
                + " cannot be wrapped by a schedule that shifts time: its reports count the network's updates."
                + " Wrap the other way round: PlateauSchedule.builder(warmupOrSequence)");
        if (child instanceof ProductSchedule) {
            checkAllSame(name + ".schedules", ((ProductSchedule) child).getSchedules(), scheduleType,
                    iterationsPerEpoch);
            return;
        }
        ScheduleType childType = typeOf(child);
        if (childType == null) {
            return;
        }
        Checks.argument(childType == scheduleType, name + " (" + child + ") has scheduleType=" + childType
                + " but its wrapper has scheduleType=" + scheduleType + "; use the same unit for both");
        if (child instanceof TimedSchedule) {
            int childN = ((TimedSchedule) child).getIterationsPerEpoch();
            Checks.argument(childN == iterationsPerEpoch, name + " (" + child + ") has iterationsPerEpoch=" + childN
                    + " but its wrapper has iterationsPerEpoch=" + iterationsPerEpoch + "; use the same for both");
        }
    }

    /**
     * How many schedules deep {@code s} nests: 1 for a schedule that wraps none, 1 + the deepest wrapped one
     * for {@link LinearWarmupSchedule}, {@link SequentialSchedule} and {@link ProductSchedule}. Each of them
     * was checked against {@link #MAX_DEPTH} when it was made, so this recursion stays shallow.
     */
    static int depthOf(ISchedule s) {
        if (s instanceof PlateauSchedule) {
            return 1 + depthOf(((PlateauSchedule) s).getBase());
        }
        if (s instanceof LinearWarmupSchedule) {
            return 1 + depthOf(((LinearWarmupSchedule) s).getSchedule());
        }
        List<ISchedule> children = s instanceof SequentialSchedule ? ((SequentialSchedule) s).getSchedules()
                : s instanceof ProductSchedule ? ((ProductSchedule) s).getSchedules() : Collections.<ISchedule>emptyList();
        int deepest = 0;
        for (ISchedule child : children) {
            deepest = Math.max(deepest, depthOf(child));
        }
        return 1 + deepest;
    }

    /** Rejects a wrapper whose children would nest it more than {@link #MAX_DEPTH} deep. */
    static void checkDepth(String name, List<ISchedule> children) {
        int deepest = 0;
        for (ISchedule child : children) {
            deepest = Math.max(deepest, depthOf(child));
        }
        Checks.argument(deepest < MAX_DEPTH, "nesting depth (" + (deepest + 1) + ") must be <= " + MAX_DEPTH
                + ": " + name + " already nests " + deepest + " schedules deep");
    }

    /** The unit of a schedule, or null when it has none or it cannot be told. */
    static ScheduleType typeOf(ISchedule s) {
        if (s instanceof TimedSchedule) {
            return ((TimedSchedule) s).getScheduleType();
        }
        if (s instanceof PlateauSchedule) {
            return typeOf(((PlateauSchedule) s).getBase());
        }
        if (s instanceof ProductSchedule) {
            ScheduleType common = null;
            for (ISchedule child : ((ProductSchedule) s).getSchedules()) {
                ScheduleType t = typeOf(child);
                if (t != null && common != null && t != common) {
                    return null;
                }
                common = t != null ? t : common;
            }
            return common;
        }
        if (s instanceof StepSchedule) {
            return ((StepSchedule) s).getScheduleType();
        }
        if (s instanceof ExponentialSchedule) {
            return ((ExponentialSchedule) s).getScheduleType();
        }
        if (s instanceof MapSchedule) {
            return ((MapSchedule) s).getScheduleType();
        }
        if (s instanceof PolySchedule) {
            return ((PolySchedule) s).getScheduleType();
        }
        if (s instanceof InverseSchedule) {
            return ((InverseSchedule) s).getScheduleType();
        }
        if (s instanceof SigmoidSchedule) {
            return ((SigmoidSchedule) s).getScheduleType();
        }
        if (s instanceof CycleSchedule) {
            return ((CycleSchedule) s).getScheduleType();
        }
        return null;
    }

    /** Every element checked by {@link #checkSame}, with its index in the message. */
    static void checkAllSame(String name, List<ISchedule> children, ScheduleType scheduleType, int iterationsPerEpoch) {
        for (int i = 0; i < children.size(); i++) {
            checkSame(name + "[" + i + "]", children.get(i), scheduleType, iterationsPerEpoch);
        }
    }

    /**
     * The iteration counter a wrapped schedule sees when its time starts at {@code offset} (in the
     * wrapper's unit), called once the wrapper's time {@code t} has reached {@code offset}: shifted for
     * ITERATION; unchanged for whole epochs; for fractional epochs {@code iteration - offset * n} (never
     * below 0), so that the wrapped schedule's time is exactly {@code t - offset} and nested wrappers stay
     * within the one epoch of DL4J's counter that the outermost clamp allows. When {@code epoch < offset}
     * the wrapper's time reached {@code offset} through a clamped fraction (a wrong {@code n}): the wrapped
     * schedule is at its time 0, iteration 0.
     */
    static int shiftIteration(ScheduleType scheduleType, int iterationsPerEpoch, int iteration, int epoch,
                              int offset) {
        if (scheduleType == ScheduleType.ITERATION) {
            return iteration - offset;
        }
        if (epoch < offset) {
            return 0;
        }
        return (int) Math.max(0L, iteration - (long) offset * iterationsPerEpoch);
    }

    /** The epoch counter a wrapped schedule sees when its time starts at {@code offset}; see {@link #shiftIteration}. */
    static int shiftEpoch(ScheduleType scheduleType, int epoch, int offset) {
        return scheduleType == ScheduleType.ITERATION ? epoch : Math.max(0, epoch - offset);
    }

    /** Null-free, non-empty, unmodifiable copy. */
    static List<ISchedule> copyOf(String name, List<ISchedule> schedules) {
        Checks.notNull(name, schedules);
        Checks.argument(!schedules.isEmpty(), name + " ([]) must not be empty");
        for (int i = 0; i < schedules.size(); i++) {
            Checks.notNull(name + "[" + i + "]", schedules.get(i));
        }
        return Collections.unmodifiableList(new ArrayList<>(schedules));
    }

    /** A list of each schedule's {@code clone()}. */
    static List<ISchedule> cloneAll(List<ISchedule> schedules) {
        List<ISchedule> copies = new ArrayList<>(schedules.size());
        for (ISchedule s : schedules) {
            copies.add(s.clone());
        }
        return copies;
    }
}
