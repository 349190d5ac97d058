package io.github.dl4jcosine.check;

import io.github.dl4jcosine.check.ScheduleCheck.Finding;
import io.github.dl4jcosine.check.ScheduleCheck.Kind;
import io.github.dl4jcosine.check.ScheduleCheck.Severity;
import io.github.dl4jcosine.schedule.ScheduleInfo;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.List;

/**
 * The counters a schedule expects against those the run gives it: a fractional-epoch {@code iterationsPerEpoch}
 * that differs from the run's ({@link Kind#ITERATIONS_PER_EPOCH}: an ERROR when off by more than half or less than
 * two thirds, a WARNING when near, as after a partial last batch), and an {@code ITERATION} schedule under
 * {@code SharedTrainingMaster} ({@link Kind#SHARED_TRAINING_ITERATIONS}).
 */
final class Counters {

    private Counters() {
    }

    /** Adds the findings; returns whether the schedule's {@code iterationsPerEpoch} differs from the run's. */
    static boolean check(ScheduleCheck run, ISchedule schedule, String name, ScheduleType unit, List<Finding> out) {
        int n = run.iterationsPerEpoch();
        int scheduleN = ScheduleInfo.iterationsPerEpochOf(schedule);
        boolean mismatchedN = scheduleN > 0 && scheduleN != n;
        if (mismatchedN) {
            // a partial last batch is off by one and nearly harmless; examples instead of batches, or one machine's
            // count on Spark, leaves the schedule stuck at each epoch's start for most of the epoch
            boolean far = scheduleN > Horizon.LONG * n || scheduleN * Horizon.LONG < n;
            out.add(new Finding(Kind.ITERATIONS_PER_EPOCH, far ? Severity.ERROR : Severity.WARNING, name
                    + " has iterationsPerEpoch=" + scheduleN + " but training runs " + n + " iterations per epoch:"
                    + " set iterationsPerEpoch=" + n
                    + (run.sparkWorkers() > 1 && scheduleN == run.singleMachineIterationsPerEpoch()
                    ? " (" + scheduleN + " is ceil(examplesPerEpoch / batchSizePerWorker), the count on one machine;"
                    + " " + run.sparkIterationsText() + ")" : "")));
        }
        if (run.sharedTraining() && unit == ScheduleType.ITERATION) {
            out.add(new Finding(Kind.SHARED_TRAINING_ITERATIONS, Severity.WARNING, name + " counts iterations, but"
                    + " SharedTrainingMaster's iteration counter follows one worker thread only: use"
                    + " ScheduleType.EPOCH, or fractional epochs with iterationsPerEpoch=" + n + " ("
                    + run.sparkIterationsText() + ")"));
        }
        return mismatchedN;
    }
}
