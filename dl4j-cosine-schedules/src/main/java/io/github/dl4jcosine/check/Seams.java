package io.github.dl4jcosine.check;

import io.github.dl4jcosine.check.ScheduleCheck.Finding;
import io.github.dl4jcosine.check.ScheduleCheck.Kind;
import io.github.dl4jcosine.check.ScheduleCheck.Severity;
import io.github.dl4jcosine.preview.SchedulePreview;
import io.github.dl4jcosine.preview.SeamReport;
import io.github.dl4jcosine.schedule.ScheduleInfo;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.ArrayList;
import java.util.List;

/**
 * Jumps between samples of the run ({@link SeamReport}): per update, and per epoch when the schedule steps once per
 * epoch. A jump up after a fall is a restart ({@link Kind#RESTART}, INFO), after a constant stretch a deliberate
 * step up ({@link Kind#STEP_UP}, INFO); a jump up after a rise, or any jump down, is a seam ({@link Kind#SEAM_JUMP}):
 * an ERROR in a composed schedule (a mistake in what the user composed), a WARNING in any other (DL4J's
 * {@code CycleSchedule} drops 10x where its annealing starts, by its design). At most {@link #MAX_JUMPS} are listed,
 * the rest counted ({@link Kind#MORE_JUMPS}). A non-finite value is reported too ({@link Kind#NON_FINITE}).
 */
final class Seams {

    /** Jumps listed per schedule; the rest are counted. */
    static final int MAX_JUMPS = 5;

    private Seams() {
    }

    static void check(ScheduleCheck run, ISchedule schedule, String name, long total, WholeEpochs wholeEpochs,
                      List<Finding> out) {
        int n = run.iterationsPerEpoch();
        int epochs = run.epochs();
        List<Finding> jumps = new ArrayList<>();
        int[] counted = new int[1];
        Severity seam = ScheduleInfo.parts(schedule).isEmpty() ? Severity.WARNING : Severity.ERROR;
        if (total <= SchedulePreview.MAX_SAMPLES) {
            SchedulePreview p = SchedulePreview.iterations(schedule, (int) total, n);
            SeamReport seams = p.checkSeams();
            classify(p, seams, name, "", seam, jumps, counted);
            if (!seams.nonFiniteSamples().isEmpty()) {
                int i = seams.nonFiniteSamples().get(0);
                out.add(new Finding(Kind.NON_FINITE, Severity.ERROR, name + " gives a non-finite value at update " + i
                        + " (iteration " + p.iteration(i) + ", epoch " + p.epoch(i) + ")"));
            }
        }
        if (n > 1 && epochs > 2 && wholeEpochs.get()) {
            SchedulePreview p = SchedulePreview.epochs(schedule, epochs,
                    Math.min(n, Integer.MAX_VALUE / Math.max(1, epochs - 1)));
            classify(p, p.checkSeams(), name, " between whole epochs", seam, jumps, counted);
        }
        out.addAll(jumps.subList(0, Math.min(MAX_JUMPS, jumps.size())));
        if (counted[0] > MAX_JUMPS) {
            out.add(new Finding(Kind.MORE_JUMPS, Severity.INFO, name + ": " + (counted[0] - MAX_JUMPS)
                    + " more jumps not listed"));
        }
    }

    private static void classify(SchedulePreview p, SeamReport seams, String name, String where, Severity seam,
                                 List<Finding> jumps, int[] counted) {
        for (SeamReport.Jump j : seams.jumps()) {
            counted[0]++;
            int before = directionBefore(p, j.index());
            if (j.after() > j.before() && before < 0) {
                jumps.add(new Finding(Kind.RESTART, Severity.INFO, name + " restarts: " + j));
            } else if (j.after() > j.before() && before == 0) {
                jumps.add(new Finding(Kind.STEP_UP, Severity.INFO, name + " steps up after a constant stretch: " + j));
            } else {
                jumps.add(new Finding(Kind.SEAM_JUMP, seam, name + " has a " + j + where + ": the next phase does not"
                        + " start where the previous one " + (before > 0 ? "rose to" : "ended")
                        + (seam == Severity.ERROR
                        ? " (check the seam between the composed parts: warmup and decay, or a milestone)"
                        : " (a jump in the schedule itself)")));
            }
        }
    }

    /** The sign of the last change before sample {@code index}, 0 if there is none. */
    private static int directionBefore(SchedulePreview p, int index) {
        for (int i = index - 1; i >= 1; i--) {
            double d = p.value(i) - p.value(i - 1);
            if (d != 0) {
                return d > 0 ? 1 : -1;
            }
        }
        return 0;
    }
}
