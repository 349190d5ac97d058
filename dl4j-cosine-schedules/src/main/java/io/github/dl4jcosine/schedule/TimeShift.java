package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The counters a wrapper hands the schedule it wraps: a wrapper shifts time in its own unit and hands the wrapped
 * schedule the counters it would have seen had training started at the shift.
 */
final class TimeShift {

    private TimeShift() {
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
    static int iteration(ScheduleType scheduleType, int iterationsPerEpoch, int iteration, int epoch, int offset) {
        if (scheduleType == ScheduleType.ITERATION) {
            return iteration - offset;
        }
        if (epoch < offset) {
            return 0;
        }
        return (int) Math.max(0L, iteration - (long) offset * iterationsPerEpoch);
    }

    /** The epoch counter a wrapped schedule sees when its time starts at {@code offset}; see {@link #iteration}. */
    static int epoch(ScheduleType scheduleType, int epoch, int offset) {
        return scheduleType == ScheduleType.ITERATION ? epoch : Math.max(0, epoch - offset);
    }
}
