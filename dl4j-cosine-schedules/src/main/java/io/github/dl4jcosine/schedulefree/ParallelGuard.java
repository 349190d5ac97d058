package io.github.dl4jcosine.schedulefree;

/**
 * Under ParallelWrapper (deeplearning4j-parallel-wrapper, not a dependency of this library: recognized by its
 * trainer class on the call stack), an updater must have been prepared by {@link ScheduleFree#listener()} added
 * to the wrapper. The listener sees each worker's network, so it can give the replicas their parameters and
 * refuse gradient sharing ({@code TrainingMode.SHARED_GRADIENTS} or {@code CUSTOM}: every worker applies the
 * thresholded, encoded updates of all workers, which a schedule-free state {@code x - y} cannot follow). Neither
 * is possible from inside an updater, which sees only gradients: without the listener the first update under the
 * wrapper fails here, naming it.
 */
final class ParallelGuard {

    private static final String TRAINER_PACKAGE = "org.deeplearning4j.parallelism.trainer.";

    private ParallelGuard() {
    }

    /** Whether the current call comes from a ParallelWrapper worker (a trainer's {@code run} on the stack). */
    static boolean inParallelWrapper() {
        for (StackTraceElement frame : new Throwable().getStackTrace()) {
            if (frame.getClassName().startsWith(TRAINER_PACKAGE)) {
                return true;
            }
        }
        return false;
    }

    /** Refuses an unprepared updater under ParallelWrapper. Called once per updater, at its first update. */
    static void check(String updater, boolean prepared) {
        if (!prepared && inParallelWrapper()) {
            throw new IllegalStateException(updater + " under ParallelWrapper needs ScheduleFree.listener() among the "
                    + "wrapper's listeners (wrapper.setListeners(ScheduleFree.listener(), ...)): it prepares each "
                    + "worker's copy of the network and refuses gradient sharing, which the schedule-free state "
                    + "(x - y) cannot follow. Use TrainingMode.AVERAGING with averageUpdaters(true)");
        }
    }
}
