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

import java.util.List;

/**
 * The unit of a schedule, and the check that wrappers make with it: a wrapped schedule whose unit is known and
 * differs from its wrapper's is refused. (Time shifts: {@link TimeShift}; nesting depth: {@link Nesting}; the
 * parts of a composed schedule: {@link Parts}.)
 */
final class Units {

    private Units() {
    }

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

    /**
     * Whether {@code s} is known to read DL4J's epoch counter: its unit is {@code EPOCH}, or that of a factor of a
     * {@link ProductSchedule} or of a {@link PlateauSchedule}'s base is.
     */
    static boolean readsEpoch(ISchedule s) {
        if (s instanceof ProductSchedule) {
            for (ISchedule factor : ((ProductSchedule) s).getSchedules()) {
                if (readsEpoch(factor)) {
                    return true;
                }
            }
            return false;
        }
        if (s instanceof PlateauSchedule) {
            return readsEpoch(((PlateauSchedule) s).getBase());
        }
        return typeOf(s) == ScheduleType.EPOCH;
    }

    /** Every element checked by {@link #checkSame}, with its index in the message. */
    static void checkAllSame(String name, List<ISchedule> children, ScheduleType scheduleType, int iterationsPerEpoch) {
        for (int i = 0; i < children.size(); i++) {
            checkSame(name + "[" + i + "]", children.get(i), scheduleType, iterationsPerEpoch);
        }
    }
}
