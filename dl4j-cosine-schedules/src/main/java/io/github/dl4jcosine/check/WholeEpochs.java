package io.github.dl4jcosine.check;

import org.nd4j.linalg.schedule.ISchedule;

/**
 * Whether a schedule's value stays the same within every epoch of the run (a schedule stepped per whole epoch):
 * sampled on first use, once per checked schedule, at each epoch's first, middle and last update.
 */
final class WholeEpochs {

    private final ISchedule schedule;
    private final int epochs;
    private final int iterationsPerEpoch;
    private Boolean constant;

    WholeEpochs(ISchedule schedule, int epochs, int iterationsPerEpoch) {
        this.schedule = schedule;
        this.epochs = epochs;
        this.iterationsPerEpoch = iterationsPerEpoch;
    }

    boolean get() {
        if (constant == null) {
            constant = sample();
        }
        return constant;
    }

    private boolean sample() {
        long n = iterationsPerEpoch;
        for (int e = 0; e < epochs; e++) {
            long first = e * n;
            if (first + n - 1 > Integer.MAX_VALUE) {
                break;
            }
            double v = schedule.valueAt((int) first, e);
            if (Double.compare(v, schedule.valueAt((int) (first + n / 2), e)) != 0
                    || Double.compare(v, schedule.valueAt((int) (first + n - 1), e)) != 0) {
                return false;
            }
        }
        return true;
    }
}
