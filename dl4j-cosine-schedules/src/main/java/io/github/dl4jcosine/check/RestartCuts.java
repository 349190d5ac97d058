package io.github.dl4jcosine.check;

import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import io.github.dl4jcosine.schedule.LinearWarmupSchedule;
import io.github.dl4jcosine.schedule.ProductSchedule;
import io.github.dl4jcosine.schedule.SequentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.List;
import java.util.Locale;

/**
 * Finds every {@link CosineWarmRestartsSchedule} inside a schedule (through {@link LinearWarmupSchedule},
 * {@link SequentialSchedule} and {@link ProductSchedule}, nested to any depth) and the stretch of the run
 * in which it is in charge, and reports as ERROR a stretch that ends part-way through a restart cycle: by
 * the end of training, or by the next milestone of a {@code SequentialSchedule}. A stretch that ends on a
 * cycle boundary, or after the last of {@code maxCycles} cycles, is fine.
 *
 * <p>Positions are kept in iterations of the planned run; a wrapper's offsets are in its own unit, which
 * the wrapped schedules share (the wrappers refuse other units).
 */
final class RestartCuts {

    private final ISchedule top;
    private final int epochs;
    private final int n;
    private final long total;
    private final String what;
    private final List<ScheduleCheck.Finding> out;

    private RestartCuts(ISchedule top, int epochs, int n, String what, List<ScheduleCheck.Finding> out) {
        this.top = top;
        this.epochs = epochs;
        this.n = n;
        this.total = (long) epochs * n;
        this.what = what;
        this.out = out;
    }

    /**
     * Adds a finding to {@code out} for each restart schedule in {@code schedule} that is cut mid-cycle;
     * {@code what} names the value in the message ("rate", "momentum").
     */
    static void check(ISchedule schedule, int epochs, int iterationsPerEpoch, String what,
                      List<ScheduleCheck.Finding> out) {
        RestartCuts cuts = new RestartCuts(schedule, epochs, iterationsPerEpoch, what, out);
        cuts.walk(schedule, 0, cuts.total, null, "");
    }

    /**
     * @param s         the schedule in charge over {@code [start, end)} (iterations of the run)
     * @param start     where its own time is 0
     * @param end       where its stretch ends: the end of the run, or {@code cutBy}'s milestone
     * @param cutBy     the sequence whose milestone ends the stretch, or null for the end of training
     * @param where     how it is nested, for the message
     */
    private void walk(ISchedule s, double start, double end, SequentialSchedule cutBy, String where) {
        if (!(end > start)) {
            return;
        }
        if (s instanceof CosineWarmRestartsSchedule) {
            cut((CosineWarmRestartsSchedule) s, start, end, cutBy, where);
        } else if (s instanceof LinearWarmupSchedule) {
            LinearWarmupSchedule w = (LinearWarmupSchedule) s;
            walk(w.getSchedule(), start + w.getWarmupPeriod() * scale(w.getScheduleType()), end, cutBy,
                    where + " after the warmup of LinearWarmupSchedule");
        } else if (s instanceof SequentialSchedule) {
            SequentialSchedule q = (SequentialSchedule) s;
            int[] m = q.getMilestones();
            List<ISchedule> parts = q.getSchedules();
            double scale = scale(q.getScheduleType());
            for (int i = 0; i < parts.size(); i++) {
                double from = start + (i == 0 ? 0 : m[i - 1] * scale);
                double to = i < m.length ? start + m[i] * scale : Double.POSITIVE_INFINITY;
                boolean milestone = to < end;
                walk(parts.get(i), from, milestone ? to : end, milestone ? q : cutBy,
                        where + " as part " + i + " of SequentialSchedule");
            }
        } else if (s instanceof ProductSchedule) {
            for (ISchedule factor : ((ProductSchedule) s).getSchedules()) {
                walk(factor, start, end, cutBy, where + " as a factor of ProductSchedule");
            }
        }
    }

    private double scale(ScheduleType unit) {
        return unit == ScheduleType.EPOCH ? n : 1;
    }

    private void cut(CosineWarmRestartsSchedule r, double start, double end, SequentialSchedule cutBy, String where) {
        ScheduleType unit = r.getScheduleType();
        double scale = scale(unit);
        double tau = (end - start) / scale;          // the restarts' own time where its stretch ends
        if (!(tau < Integer.MAX_VALUE)) {
            return;
        }
        int k = cycleAt(r, tau);
        if (r.getMaxCycles() > 0 && k >= r.getMaxCycles() || r.cycleStart(k) == tau) {
            return;
        }
        double cycleStart = r.cycleStart(k);
        double cycleEnd = cycleStart + r.cycleLength(k);
        String u = unit == ScheduleType.EPOCH ? "epoch" : "iteration";
        double offset = start / scale;               // the stretch's start in the schedule's unit
        double value = ScheduleCheck.valueAtUpdate(top, (long) Math.ceil(end) - 1, n);
        String of = where.isEmpty() ? "" : " of CosineWarmRestartsSchedule" + where;
        int percent = (int) Math.round(100 * (tau - cycleStart) / r.cycleLength(k));
        if (cutBy == null) {
            out.add(new ScheduleCheck.Finding(ScheduleCheck.Severity.ERROR, String.format(Locale.ROOT,
                    "training ends part-way through restart cycle %d (%d%% of it)%s, at a %s of %.3g. End the"
                            + " run where a cycle ends: at %s %s, not %s", k, percent, of, what, value, u,
                    number(offset + cycleEnd), number(unit == ScheduleType.EPOCH ? epochs : (double) total))));
        } else {
            out.add(new ScheduleCheck.Finding(ScheduleCheck.Severity.ERROR, String.format(Locale.ROOT,
                    "a milestone of SequentialSchedule at %s %s cuts restart cycle %d (%d%% of it)%s, at a %s"
                            + " of %.3g: put the milestone where a cycle ends (%s %s or %s)", u,
                    number(offset + tau), k, percent, of.isEmpty() ? " of CosineWarmRestartsSchedule" : of, what,
                    value, u, number(offset + cycleStart), number(offset + cycleEnd))));
        }
    }

    /** The cycle the update at the restarts' own time {@code tau} (a whole number) falls in. */
    private static int cycleAt(CosineWarmRestartsSchedule r, double tau) {
        int t = (int) tau;
        if (r.getScheduleType() == ScheduleType.ITERATION) {
            return r.cycleIndex(t, 0);
        }
        long iteration = (long) t * r.getIterationsPerEpoch();
        return r.cycleIndex((int) Math.min(Integer.MAX_VALUE, iteration), t);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
