package io.github.dl4jcosine.check;

import io.github.dl4jcosine.check.ScheduleCheck.Finding;
import io.github.dl4jcosine.check.ScheduleCheck.Kind;
import io.github.dl4jcosine.check.ScheduleCheck.Severity;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.List;
import java.util.Locale;

/**
 * Rate 0 for more than the first update: a few first updates ({@link Kind#ZERO_RATE_UPDATES}), whole first epochs
 * ({@link Kind#ZERO_RATE_EPOCHS}: a warmup from 0 stepped per whole epoch is at {@code t = 0} for every update of
 * epoch 0), or the start of every epoch of the run ({@link Kind#ZERO_RATE_RUN}). The single first update at 0 of a
 * per-iteration or fractional-epoch warmup is fine. Not for momentum (momentum 0 is plain SGD).
 */
final class ZeroRate {

    private ZeroRate() {
    }

    static void check(ScheduleCheck run, ISchedule schedule, String name, long total, WholeEpochs wholeEpochs,
                      List<Finding> out) {
        int n = run.iterationsPerEpoch();
        int epochs = run.epochs();
        long scan = Math.min(total, n + 1L);
        long zeros = 0;   // a long: with iterationsPerEpoch = Integer.MAX_VALUE the scan passes the int range
        while (zeros < scan && !(run.value(schedule, zeros) > 0)) {
            zeros++;
        }
        if (zeros < 2) {
            return;
        }
        if (zeros < n) {
            out.add(new Finding(Kind.ZERO_RATE_UPDATES, Severity.ERROR, String.format(Locale.ROOT, "%s trains the"
                    + " first %d updates at learning rate 0 (updates 0 to %d): start the warmup above 0 (to freeze"
                    + " layers, use FrozenLayer)", name, zeros, zeros - 1)));
            return;
        }
        int epoch = 1;
        while (epoch < epochs && !(run.value(schedule, (long) epoch * n) > 0)) {
            epoch++;
        }
        boolean wholeEpoch = wholeEpochs.get();
        if (epoch == epochs) {
            out.add(new Finding(Kind.ZERO_RATE_RUN, Severity.ERROR, name + " gives learning rate 0 at the start of"
                    + " every epoch of the run: the layers never learn" + (wholeEpoch ? " (a warmup from 0 stepped"
                    + " once per whole epoch longer than the run?)" : "") + "; freeze layers with FrozenLayer or NoOp"
                    + " if that is intended"));
            return;
        }
        out.add(new Finding(Kind.ZERO_RATE_EPOCHS, Severity.ERROR, String.format(Locale.ROOT, "%s trains %s at"
                + " learning rate 0 (the first %d updates)%s", name, epoch == 1 ? "all of epoch 0"
                        : "epochs 0 to " + (epoch - 1), (long) epoch * n,
                wholeEpoch ? ": a warmup from 0 stepped once per whole epoch is at t = 0 for every update of epoch 0."
                        + " Use fractional epochs (iterationsPerEpoch=" + n + ") so that it moves every iteration, or"
                        + " start the warmup above 0"
                        : ": start the warmup above 0 (to freeze layers, use FrozenLayer)")));
    }
}
