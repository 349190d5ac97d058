package io.github.dl4jcosine.check;

import io.github.dl4jcosine.check.ScheduleCheck.Finding;
import io.github.dl4jcosine.check.ScheduleCheck.Kind;
import io.github.dl4jcosine.check.ScheduleCheck.Severity;
import io.github.dl4jcosine.schedule.OneCycleSchedule;

import java.util.List;

/**
 * A layer's rate and momentum {@link OneCycleSchedule}s should cycle over the same steps and phases, as PyTorch's
 * {@code OneCycleLR} cycles both: a WARNING ({@link Kind#ONE_CYCLE_MISMATCH}) when their unit, total period,
 * {@code iterationsPerEpoch}, peak fraction or number of phases differ.
 */
final class OneCyclePair {

    private OneCyclePair() {
    }

    static void check(String layer, OneCycleSchedule rate, OneCycleSchedule momentum, List<Finding> out) {
        String r = cycleText(rate);
        String m = cycleText(momentum);
        if (r.equals(m)) {
            return;
        }
        out.add(new Finding(Kind.ONE_CYCLE_MISMATCH, Severity.WARNING, "layer '" + layer + "': its learning-rate and"
                + " momentum OneCycleSchedules cycle over different steps: " + r + " for the rate, " + m + " for the"
                + " momentum. PyTorch's OneCycleLR cycles both over the same steps and phases: give both the same"
                + " scheduleType, totalPeriod, iterationsPerEpoch, peakFraction and threePhase"));
    }

    /** What decides where a one-cycle's phases fall: its horizon, unit, peak fraction and number of phases. */
    private static String cycleText(OneCycleSchedule o) {
        return "totalPeriod=" + o.getTotalPeriod() + " (" + o.getScheduleType()
                + (o.getIterationsPerEpoch() > 0 ? ", iterationsPerEpoch=" + o.getIterationsPerEpoch() : "")
                + "), peakFraction=" + o.getPeakFraction() + (o.isThreePhase() ? ", three phases" : "");
    }
}
