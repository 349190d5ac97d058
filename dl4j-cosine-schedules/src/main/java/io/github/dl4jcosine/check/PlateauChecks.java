package io.github.dl4jcosine.check;

import io.github.dl4jcosine.check.ScheduleCheck.Finding;
import io.github.dl4jcosine.check.ScheduleCheck.Kind;
import io.github.dl4jcosine.check.ScheduleCheck.Severity;
import io.github.dl4jcosine.internal.UpdaterLayers;
import io.github.dl4jcosine.schedule.PlateauSchedule;
import io.github.dl4jcosine.schedule.PlateauState;
import io.github.dl4jcosine.schedule.ScheduleInfo;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.ArrayList;
import java.util.List;

/**
 * Reduce on plateau against the run, for each {@link PlateauSchedule} in a schedule (at its top or among its
 * {@link ScheduleInfo#parts parts}), each a WARNING: a {@code minValue} above the base's value at the end of the run
 * ({@link Kind#PLATEAU_MIN_VALUE}: a reduction never goes below {@code minValue} nor raises the rate, so none takes
 * effect where the base is below it); a patience that lets no reduction take effect within the run, with one report
 * per epoch ({@link Kind#PLATEAU_PATIENCE}); and, given the metric's {@code ScoreCalculator}, a {@code mode} that
 * contradicts {@code minimizeScore()} ({@link Kind#PLATEAU_MODE}). The other checks see the base ({@link #sampled}):
 * the horizon is the base's, and reductions already made are deliberate steps, not seams.
 */
final class PlateauChecks {

    private PlateauChecks() {
    }

    /** What the sampling checks look at: the base of a PlateauSchedule (of each, when they nest), else the schedule. */
    static ISchedule sampled(ISchedule schedule) {
        ISchedule s = schedule;
        while (s instanceof PlateauSchedule) {
            s = ((PlateauSchedule) s).getBase();
        }
        return s;
    }

    static void check(ScheduleCheck run, ISchedule schedule, long total, List<Finding> out) {
        for (PlateauSchedule p : plateaus(schedule, new ArrayList<>())) {
            double end = run.value(p.getBase(), total - 1);
            if (p.getMinValue() > end) {
                out.add(new Finding(Kind.PLATEAU_MIN_VALUE, Severity.WARNING, "PlateauSchedule's minValue ("
                        + p.getMinValue() + ") is above its base's value at the end of the run (" + end + " at update "
                        + (total - 1) + "): a reduction never sets the rate below minValue nor raises it, so none takes"
                        + " effect where the base is below " + p.getMinValue() + ". Lower minValue to at most " + end));
            }
            PlateauState state = p.getState();
            boolean fresh = state.getLastReportIteration() < 0;
            long needed = (fresh ? 1 : 0) + state.getCooldownLeft() + p.getPatience() + 1L
                    - (state.getCooldownLeft() == 0 ? state.getBadCount() : 0);
            if (needed >= run.epochs()) {   // a reduction reported after the last epoch changes no update
                out.add(new Finding(Kind.PLATEAU_PATIENCE, Severity.WARNING, "PlateauSchedule's patience ("
                        + p.getPatience() + ") needs " + needed + " reports (one per epoch with PlateauListener"
                        + (fresh ? ": the first sets the best, then " + (p.getPatience() + 1) + " without improvement"
                        : "") + ") before its first reduction can take effect, but the run has " + run.epochs()
                        + " epochs: the rate is never reduced. "
                        + (run.epochs() - needed + p.getPatience() - 1 >= 0 ? "Lower patience to at most "
                        + (run.epochs() - needed + p.getPatience() - 1) : "Train longer")));
            }
        }
    }

    /** Every PlateauSchedule in the layers' rate and momentum schedules whose mode contradicts {@code metric}. */
    static void checkModes(Model model, ScoreCalculator<?> metric, List<Finding> out) {
        boolean minimize = metric.minimizeScore();
        List<PlateauSchedule> seen = new ArrayList<>();
        for (UpdaterLayers.Entry e : UpdaterLayers.of(model)) {
            List<PlateauSchedule> found = plateaus(e.schedule(), new ArrayList<>());
            plateaus(e.momentumSchedule(), found);
            for (PlateauSchedule p : found) {
                if ((p.getMode() == PlateauSchedule.Mode.MIN) != minimize && seen.stream().noneMatch(q -> q == p)) {
                    seen.add(p);
                    out.add(new Finding(Kind.PLATEAU_MODE, Severity.WARNING, "layer '" + e.name + "': PlateauSchedule"
                            + " has mode " + p.getMode() + " but " + metric.getClass().getSimpleName() + " "
                            + (minimize ? "minimizes" : "maximizes") + " its score: every improvement would count as"
                            + " worse. Use mode " + (minimize ? "MIN" : "MAX") + " (PlateauListener refuses this)"));
                }
            }
        }
    }

    /** The PlateauSchedules in {@code s} (itself, and through its parts), added to {@code into}. */
    private static List<PlateauSchedule> plateaus(ISchedule s, List<PlateauSchedule> into) {
        if (s == null) {
            return into;
        }
        if (s instanceof PlateauSchedule) {
            into.add((PlateauSchedule) s);
        }
        for (ScheduleInfo.Part part : ScheduleInfo.parts(s)) {
            plateaus(part.schedule(), into);
        }
        return into;
    }
}
