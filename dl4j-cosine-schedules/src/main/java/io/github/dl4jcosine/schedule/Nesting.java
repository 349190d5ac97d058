package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;

import java.util.List;

/**
 * How deep schedules nest, checked when a wrapper is made (and counted by {@link StrictJson} while reading), so that
 * every recursion over a composed schedule stays shallow.
 */
final class Nesting {

    private Nesting() {
    }

    /** How deep schedules may nest: a wrapper around a wrapper around ... at most this many schedules on a path. */
    static final int MAX_DEPTH = 64;

    /**
     * How many schedules deep {@code s} nests: 1 for a schedule that wraps none, 1 + the deepest of its
     * {@link Parts#of parts} otherwise. Each wrapper was checked against {@link #MAX_DEPTH} when it was made, so this
     * recursion stays shallow.
     */
    static int depthOf(ISchedule s) {
        int deepest = 0;
        for (ScheduleInfo.Part part : Parts.of(s)) {
            deepest = Math.max(deepest, depthOf(part.schedule()));
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
}
