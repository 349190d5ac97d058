package io.github.dl4jcosine.check;

import io.github.dl4jcosine.check.ScheduleCheck.Finding;
import io.github.dl4jcosine.check.ScheduleCheck.Kind;
import io.github.dl4jcosine.check.ScheduleCheck.Severity;
import io.github.dl4jcosine.schedule.ScheduleInfo;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Where a schedule stops changing ({@link ScheduleInfo#horizonInIterations}) against the length of the run: periods
 * in the wrong unit ({@link Kind#HORIZON_UNIT}), an {@code ITERATION} schedule sized as if on one machine on Spark
 * ({@link Kind#SPARK_SINGLE_MACHINE}), a decay that ends far before the run ({@link Kind#HORIZON_SHORT}) or far after
 * it ({@link Kind#HORIZON_LONG}). Only the first of these that applies is reported.
 */
final class Horizon {

    /** A horizon shorter than this fraction of the run is reported. */
    static final double SHORT = 0.5;
    /** A horizon longer than this multiple of the run is reported. */
    static final double LONG = 1.5;
    /** A horizon within this relative distance of a wrongly sized one is taken to be sized that way. */
    static final double MATCH = 0.1;

    private Horizon() {
    }

    static void check(ScheduleCheck run, ISchedule schedule, String name, ScheduleType unit, long total,
                      boolean momentum, List<Finding> out) {
        int n = run.iterationsPerEpoch();
        int epochs = run.epochs();
        OptionalDouble horizon = ScheduleInfo.horizonInIterations(schedule, n);
        if (!horizon.isPresent() || !(horizon.getAsDouble() > 0)) {   // 0: a constant schedule
            return;
        }
        double h = horizon.getAsDouble();
        double endValue = run.value(schedule, (long) Math.ceil(h));
        double unitsH = unit == ScheduleType.EPOCH ? h / n : h;    // the horizon in the schedule's own unit
        double[] range = range(run, schedule, h);
        // not a warmup that ends at a constant rate; for momentum also a dip and back (one-cycle: 0.95 -> 0.85 -> 0.95)
        boolean decayed = endValue < range[1]
                || momentum && range[0] < Math.min(run.value(schedule, 0), endValue);
        if (unit == ScheduleType.ITERATION && decayed && total > n
                && (h <= n || n > 1 && h < SHORT * total && near(h, epochs))) {
            out.add(new Finding(Kind.HORIZON_UNIT, Severity.ERROR, String.format(Locale.ROOT, "%s (ITERATION) ends"
                    + " at iteration %.0f, %s, and then holds %.3g for the rest of the %d epochs. Periods meant in"
                    + " epochs? Use ScheduleType.EPOCH (with iterationsPerEpoch=%d to move every iteration), or"
                    + " multiply the periods by %d", name, h, h <= n ? "within the first epoch of " + n + " iterations"
                            : "the number of epochs, " + epochs + ", not of iterations, " + total,
                    endValue, epochs, n, n)));
        } else if (unit == ScheduleType.EPOCH && n > 1 && h > LONG * total && near(unitsH, total)) {
            out.add(new Finding(Kind.HORIZON_UNIT, Severity.ERROR, String.format(Locale.ROOT, "%s (EPOCH) ends at"
                    + " epoch %.0f, about the number of iterations of the run (%d), not of its epochs (%d). Periods"
                    + " meant in iterations? Use ScheduleType.ITERATION, or divide the periods by %d", name, unitsH,
                    total, epochs, n)));
        } else if (run.sparkWorkers() > 1 && unit == ScheduleType.ITERATION
                && near(h, (double) epochs * run.singleMachineIterationsPerEpoch())) {
            out.add(new Finding(Kind.SPARK_SINGLE_MACHINE, Severity.WARNING, String.format(Locale.ROOT, "%s"
                    + " (ITERATION) ends at iteration %.0f, sized as if on one machine (%d epochs x ceil(%d / %d) ="
                    + " %d): on Spark with %d workers %s, %d in %d epochs. Set the periods for %d iterations, or use"
                    + " ScheduleType.EPOCH", name, h, epochs, run.examplesPerEpoch(), run.batchSizePerWorker(),
                    (long) epochs * run.singleMachineIterationsPerEpoch(), run.sparkWorkers(),
                    run.sparkIterationsText(), total, epochs, total)));
        } else if (decayed && h < SHORT * total) {
            out.add(new Finding(Kind.HORIZON_SHORT, Severity.WARNING, String.format(Locale.ROOT, "%s ends at epoch"
                    + " %.1f of %d: the last %.1f epochs run at %.3g. Lengthen the schedule to the run (or shorten the"
                    + " run)", name, h / n, epochs, epochs - h / n, endValue)));
        } else if (h > LONG * total) {
            double last = run.value(schedule, total - 1);
            out.add(new Finding(Kind.HORIZON_LONG, Severity.WARNING, String.format(Locale.ROOT, "training stops at"
                    + " %.0f%% of %s (which ends at epoch %.1f): " + (momentum ? "the momentum is %.3g at the last"
                    + " update instead of %.3g" : "the rate only falls to %.3g, not to %.3g") + ". Shorten the"
                    + " schedule to the run", 100.0 * total / h, name, h / n, last, endValue)));
        }
    }

    private static boolean near(double value, double target) {
        return Math.abs(value - target) <= MATCH * target;
    }

    /** The smallest and largest value over {@code [0, h]} iterations, from at most 4,097 evenly spaced samples. */
    private static double[] range(ScheduleCheck run, ISchedule schedule, double h) {
        long last = (long) Math.ceil(h);
        long step = Math.max(1, last / 4096);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (long i = 0; i <= last; i += step) {
            double v = run.value(schedule, i);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new double[] {min, max};
    }
}
