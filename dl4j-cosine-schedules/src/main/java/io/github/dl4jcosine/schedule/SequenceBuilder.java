package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link SequentialSchedule}: {@code Schedules.sequence(unit).start(first).then(milestone, next)...build()};
 * each schedule's own time restarts at 0 at its milestone. Unset: iterationsPerEpoch 0.
 */
public final class SequenceBuilder {

    private final ScheduleType unit;
    private final List<ISchedule> schedules = new ArrayList<>();
    private final List<Integer> milestones = new ArrayList<>();
    private int iterationsPerEpoch;

    SequenceBuilder(ScheduleType unit) {
        this.unit = unit;
    }

    /** The first schedule, from time 0. */
    public SequenceBuilder start(ISchedule schedule) {
        Checks.argument(schedules.isEmpty(), "start(...) must come first and only once; use then(milestone, ...)");
        schedules.add(schedule);
        return this;
    }

    /** The next schedule, from {@code milestone} on, with its own time restarted at 0 there. */
    public SequenceBuilder then(int milestone, ISchedule schedule) {
        Checks.argument(!schedules.isEmpty(), "then(" + milestone + ", ...) needs start(...) first");
        milestones.add(milestone);
        schedules.add(schedule);
        return this;
    }

    public SequenceBuilder iterationsPerEpoch(int value) {
        this.iterationsPerEpoch = value;
        return this;
    }

    public SequentialSchedule build() {
        int[] m = new int[milestones.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = milestones.get(i);
        }
        return new SequentialSchedule(unit, schedules, m, iterationsPerEpoch);
    }
}
