package io.github.dl4jcosine.check;

import io.github.dl4jcosine.check.ScheduleCheck.Finding;
import io.github.dl4jcosine.check.ScheduleCheck.Kind;
import io.github.dl4jcosine.check.ScheduleCheck.Severity;
import io.github.dl4jcosine.internal.UpdaterLayers;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.List;

/**
 * A layer's rate as its updater gives it: NaN ({@link Kind#NAN_RATE}, an ERROR: {@code AdaGrad.clone()} in DL4J
 * 1.0.0-M2.1 drops a schedule set on the global builder), or a fixed {@code AdaGrad} rate among layers with schedules
 * ({@link Kind#ADAGRAD_WITHOUT_SCHEDULE}, a WARNING: the same cause, where the global rate survived).
 */
final class LayerRate {

    private LayerRate() {
    }

    /**
     * @param schedule    the layer's learning-rate schedule, or null
     * @param anySchedule whether any layer of the network has a schedule
     */
    static void check(UpdaterLayers.Entry e, ISchedule schedule, boolean anySchedule, List<Finding> out) {
        String updater = e.updater.getClass().getSimpleName();
        if (Double.isNaN(e.updater.getLearningRate(0, 0))) {
            out.add(new Finding(Kind.NAN_RATE, Severity.ERROR, "layer '" + e.name + "' (" + updater + ") has"
                    + " learning rate NaN"
                    + (e.updater instanceof AdaGrad ? adaGradHint() : ": give its updater a rate or a schedule")));
        } else if (schedule == null && anySchedule && e.updater instanceof AdaGrad) {
            out.add(new Finding(Kind.ADAGRAD_WITHOUT_SCHEDULE, Severity.WARNING, "layer '" + e.name + "' (AdaGrad)"
                    + " has a fixed learning rate " + e.updater.getLearningRate(0, 0) + " while other layers use"
                    + " schedules" + adaGradHint()));
        }
    }

    private static String adaGradHint() {
        return ": AdaGrad.clone() in DL4J 1.0.0-M2.1 drops the schedule of .updater(new AdaGrad(schedule)) on the"
                + " global builder; set .updater(new AdaGrad(schedule)) on each layer instead";
    }
}
