package io.github.dl4jcosine.snapshot;

import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.schedule.ScheduleType;

import java.lang.ref.WeakReference;

/**
 * The setups in which {@link SnapshotListener} would miss snapshots without a word, each refused or reported at
 * ERROR once per run: a whole-epoch schedule under {@code ParallelWrapper} (which never calls {@code onEpochEnd}:
 * refused with an {@link IllegalStateException} before the first update changes the model), a whole-epoch schedule
 * whose epoch counter moves without {@code onEpochEnd} (a {@code fit(DataSet)} loop that counts epochs by hand), and
 * a fractional-epoch schedule whose epoch counter stands still. One per run; thread-safe.
 */
final class MisuseGuards {

    private static final String PARALLEL_WRAPPER_PACKAGE = "org.deeplearning4j.parallelism.";

    private final CosineWarmRestartsSchedule schedule;
    private final ThreadLocal<Boolean> parallelWorker = new ThreadLocal<>();
    private volatile boolean reportedStalledEpoch;
    private boolean reportedNoEpochEnd;
    private WeakReference<Model> lastIterationModel = new WeakReference<>(null);
    private int lastIterationEpoch = -1;
    private boolean epochEndSinceIteration;

    MisuseGuards(CosineWarmRestartsSchedule schedule) {
        this.schedule = schedule;
    }

    /** Whole-epoch schedules snapshot in {@code onEpochEnd}: refuse or report loudly where it is never called. */
    synchronized void checkEpochEnds(Model model, int epoch) {
        refuseParallelWrapper();
        if (lastIterationModel.get() == model && epoch != lastIterationEpoch && !epochEndSinceIteration
                && !reportedNoEpochEnd) {
            reportedNoEpochEnd = true;
            SnapshotListener.report("SnapshotListener: the epoch counter moved from " + lastIterationEpoch + " to "
                    + epoch + " without onEpochEnd: a whole-epoch schedule (EPOCH, iterationsPerEpoch = 0) snapshots"
                    + " at the end of an epoch, so cycles ending this way are missed. Train with"
                    + " fit(DataSetIterator, epochs), or use ITERATION or fractional epochs (iterationsPerEpoch = n)",
                    null);
        }
        lastIterationModel = new WeakReference<>(model);
        lastIterationEpoch = epoch;
        epochEndSinceIteration = false;
    }

    /** An epoch ended (a whole-epoch schedule's snapshot moment). */
    synchronized void epochEnded() {
        epochEndSinceIteration = true;
    }

    /** ParallelWrapper never calls onEpochEnd: a whole-epoch schedule would never snapshot there. */
    void refuseParallelWrapper() {
        if (onParallelWrapperWorker()) {
            String message = "SnapshotListener: a whole-epoch schedule (EPOCH, iterationsPerEpoch = 0) never "
                    + "snapshots under ParallelWrapper, which never calls onEpochEnd. Use an ITERATION schedule, or "
                    + "EPOCH with iterationsPerEpoch = n (fractional epochs) and net.incrementEpochCount() after each "
                    + "wrapper.fit(...)";
            SnapshotListener.report(message, null);
            throw new IllegalStateException(message);
        }
    }

    /** A fractional-epoch schedule stands still when the epoch counter lags the iterations by more than an epoch. */
    void checkEpochMoves(int iteration, int epoch) {
        int n = schedule.getIterationsPerEpoch();
        if (schedule.getScheduleType() == ScheduleType.EPOCH && n > 0 && iteration >= (epoch + 2L) * n
                && !reportedStalledEpoch) {
            synchronized (this) {
                if (reportedStalledEpoch) {
                    return;
                }
                reportedStalledEpoch = true;
            }
            SnapshotListener.report("SnapshotListener: update " + iteration + " is " + (iteration / n - epoch)
                    + " epochs of " + n + " iterations past the epoch counter (" + epoch + "): the schedule holds"
                    + " still and later cycles never end, so no snapshot will be taken. Let the epoch counter move"
                    + " (fit(DataSetIterator, epochs), or net.incrementEpochCount() after each ParallelWrapper.fit)"
                    + " or fix iterationsPerEpoch", null);
        }
    }

    /** Whether this thread is a ParallelWrapper worker (its trainer is on the stack); checked once per thread. */
    private boolean onParallelWrapperWorker() {
        Boolean worker = parallelWorker.get();
        if (worker == null) {
            worker = false;
            for (StackTraceElement frame : new Throwable().getStackTrace()) {
                if (frame.getClassName().startsWith(PARALLEL_WRAPPER_PACKAGE)) {
                    worker = true;
                    break;
                }
            }
            parallelWorker.set(worker);
        }
        return worker;
    }
}
