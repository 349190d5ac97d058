package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one place that knows which schedules are made of other schedules, and how: every walk over a composed
 * schedule (nesting depth, horizon, restart cuts, the seam check's "is it composed") goes through {@link #of}, so
 * a new wrapper needs one edit here. Also the list handling the composites share.
 */
final class Parts {

    private Parts() {
    }

    /**
     * The schedules {@code s} is made of, each with the stretch of {@code s}'s time in which it is in charge; empty
     * for a schedule that wraps none (ours or anyone's).
     */
    static List<ScheduleInfo.Part> of(ISchedule s) {
        if (s instanceof LinearWarmupSchedule) {
            LinearWarmupSchedule w = (LinearWarmupSchedule) s;
            return Collections.singletonList(new ScheduleInfo.Part(w.getSchedule(), w.getScheduleType(),
                    w.getWarmupPeriod(), -1, "after the warmup of LinearWarmupSchedule"));
        }
        if (s instanceof SequentialSchedule) {
            SequentialSchedule q = (SequentialSchedule) s;
            int[] m = q.getMilestones();
            List<ISchedule> schedules = q.getSchedules();
            List<ScheduleInfo.Part> parts = new ArrayList<>(schedules.size());
            for (int i = 0; i < schedules.size(); i++) {
                parts.add(new ScheduleInfo.Part(schedules.get(i), q.getScheduleType(), i == 0 ? 0 : m[i - 1],
                        i < m.length ? m[i] : -1, "as part " + i + " of SequentialSchedule"));
            }
            return Collections.unmodifiableList(parts);
        }
        if (s instanceof ProductSchedule) {
            List<ISchedule> factors = ((ProductSchedule) s).getSchedules();
            List<ScheduleInfo.Part> parts = new ArrayList<>(factors.size());
            for (ISchedule factor : factors) {
                parts.add(new ScheduleInfo.Part(factor, null, 0, -1, "as a factor of ProductSchedule"));
            }
            return Collections.unmodifiableList(parts);
        }
        return Collections.emptyList();
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
