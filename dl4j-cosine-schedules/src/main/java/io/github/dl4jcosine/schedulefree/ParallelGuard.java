package io.github.dl4jcosine.schedulefree;

import java.lang.reflect.Field;

/**
 * Refuses the ParallelWrapper setups (deeplearning4j-parallel-wrapper, not a dependency of this library: found by
 * class name) in which a schedule-free state cannot follow the parameters:
 * <ul>
 *   <li>gradient sharing ({@code TrainingMode.SHARED_GRADIENTS} or {@code CUSTOM}, worker threads of class
 *       {@code SymmetricTrainer}): every worker applies the thresholded, encoded updates of all workers to its
 *       parameters, not the update its own updater computed, so {@code x - y} no longer describes them;</li>
 *   <li>averaging with {@code averageUpdaters(false)}: the parameters are averaged over the workers but each
 *       updater state (and the original network's, which evaluation reads) keeps its own {@code x - y}.</li>
 * </ul>
 * Averaging with averaged updater state (ParallelWrapper's default {@code AVERAGING} mode) is consistent: y,
 * {@code x - y} and v are averaged alike, so the averaged x is the average of the workers' x. The check runs on
 * an updater's first update, on the worker thread.
 */
final class ParallelGuard {

    private static final String TRAINER = "org.deeplearning4j.parallelism.trainer.DefaultTrainer";
    private static final String SYMMETRIC = "org.deeplearning4j.parallelism.trainer.SymmetricTrainer";

    private ParallelGuard() {
    }

    static void check(String updater) {
        Class<?> trainer = null;
        for (Class<?> c = Thread.currentThread().getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(SYMMETRIC)) {
                throw new IllegalStateException(updater + " does not support ParallelWrapper's gradient sharing "
                        + "(TrainingMode.SHARED_GRADIENTS or CUSTOM): each worker applies the encoded updates of all "
                        + "workers, which its schedule-free state (x - y) cannot follow. Use "
                        + "trainingMode(ParallelWrapper.TrainingMode.AVERAGING) with averageUpdaters(true)");
            }
            if (c.getName().equals(TRAINER)) {
                trainer = c;
            }
        }
        if (trainer != null && Boolean.FALSE.equals(averageUpdaters(trainer, Thread.currentThread()))) {
            throw new IllegalStateException(updater + " under ParallelWrapper needs averageUpdaters(true): with "
                    + "averaged parameters but per-worker updater state, the schedule-free state (x - y) of each "
                    + "worker and of the original network no longer matches the averaged parameters y");
        }
    }

    /** The wrapper's averageUpdaters flag read from the worker thread, or null when it cannot be read. */
    private static Boolean averageUpdaters(Class<?> trainer, Thread thread) {
        try {
            Field wrapperField = trainer.getDeclaredField("parallelWrapper");
            wrapperField.setAccessible(true);
            Object wrapper = wrapperField.get(thread);
            for (Class<?> c = wrapper == null ? null : wrapper.getClass(); c != null; c = c.getSuperclass()) {
                try {
                    Field flag = c.getDeclaredField("averageUpdaters");
                    flag.setAccessible(true);
                    return flag.getBoolean(wrapper);
                } catch (NoSuchFieldException notHere) {
                    // look in the superclass
                }
            }
            return null;
        } catch (ReflectiveOperationException | RuntimeException unreadable) {
            return null;
        }
    }
}
