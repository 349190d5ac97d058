package io.github.dl4jcosine.check;

import java.util.Locale;

/**
 * Spark's counting, for {@link ScheduleCheck#forSpark} and {@link ScheduleCheck#forSparkSharedTraining}: the
 * iteration counter advances once per parallel step of {@code batchSizePerWorker x workers} examples.
 */
final class SparkPlan {

    private SparkPlan() {
    }

    /**
     * {@code ceil(examples / (batchSizePerWorker * workers))}, the iterations of one Spark epoch.
     *
     * @throws IllegalArgumentException naming the parameter when a count is below 1, or when the result passes
     *                                  {@code Integer.MAX_VALUE}
     */
    static int iterationsPerEpoch(long examples, int batchSizePerWorker, int workers) {
        if (examples < 1) {
            throw new IllegalArgumentException("examplesPerEpoch (" + examples + ") must be >= 1");
        }
        if (batchSizePerWorker < 1) {
            throw new IllegalArgumentException("batchSizePerWorker (" + batchSizePerWorker + ") must be >= 1");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers (" + workers + ") must be >= 1");
        }
        long perEpoch = ceilDiv(examples, (long) batchSizePerWorker * workers);
        if (perEpoch > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("examplesPerEpoch (" + examples + ") / (batchSizePerWorker ("
                    + batchSizePerWorker + ") x workers (" + workers + ")) must be <= " + Integer.MAX_VALUE);
        }
        return (int) perEpoch;
    }

    static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }

    /** How the Spark run gets its iterations per epoch, for messages. */
    static String text(boolean shared, int workers, long examples, int batchSizePerWorker, int iterationsPerEpoch) {
        return String.format(Locale.ROOT, "%s with %d workers runs ceil(%d / (%d x %d)) = %d iterations per epoch",
                shared ? "SharedTrainingMaster" : "ParameterAveragingTrainingMaster", workers, examples,
                batchSizePerWorker, workers, iterationsPerEpoch);
    }
}
