package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;

/**
 * Every schedule of this package: its values lie in {@code [0, largestValue()]} at every
 * {@code (iteration, epoch)} (up to rounding in the last bit or two), never NaN or infinite. Wrappers use the bound to refuse compositions that
 * would overflow (a product of factors 1e200 and 1e200). See {@link ValueBounds}.
 */
interface BoundedSchedule extends ISchedule {

    /**
     * The largest value this schedule gives at any {@code (iteration, epoch)}: at most
     * {@link ValueBounds#MAX_VALUE}, or {@code +Infinity} when it wraps a schedule from elsewhere whose values
     * cannot be bounded (they are then passed through as that schedule gives them).
     */
    double largestValue();
}
