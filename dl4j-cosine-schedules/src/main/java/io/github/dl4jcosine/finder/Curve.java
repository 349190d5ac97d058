package io.github.dl4jcosine.finder;

import java.util.Arrays;

/**
 * The loss curve of one sweep, recorded update by update: the smoothing and the stop rule of
 * {@link LearningRateFinder}, in one place for {@code find} and {@code analyze} (so both give the same result for
 * the same losses).
 */
final class Curve {

    private final double minValue;
    private final double maxValue;
    private final int steps;
    private final double smoothing;
    private final double divergenceFactor;

    private double[] rates = new double[16];
    private double[] losses = new double[16];
    private double[] smoothed = new double[16];
    private int size;
    private double average;         // avg_(k-1), 0 before the first update
    private double minSmoothed = Double.POSITIVE_INFINITY;   // min(s_0 .. s_(k-1))
    private boolean stopped;

    Curve(double minValue, double maxValue, int steps, double smoothing, double divergenceFactor) {
        this.minValue = minValue;
        this.maxValue = maxValue;
        this.steps = steps;
        this.smoothing = smoothing;
        this.divergenceFactor = divergenceFactor;
    }

    /** Whether the stop rule has fired. */
    boolean stopped() {
        return stopped;
    }

    /** How many updates are recorded. */
    int size() {
        return size;
    }

    /**
     * Records the loss of the next update {@code k} and applies the stop rule. Returns true when the sweep must
     * stop: {@code loss} is not finite, or {@code k >= 1} and {@code s_k > divergenceFactor * min(s_0 .. s_(k-1))}.
     *
     * @throws IllegalStateException after {@code steps} updates or after the stop rule fired
     */
    boolean add(double loss) {
        if (stopped || size >= steps) {
            throw new IllegalStateException("the sweep is over (" + size + " updates recorded)");
        }
        int k = size;
        if (k == rates.length) {
            int grown = (int) Math.min((long) steps, 2L * k);
            rates = Arrays.copyOf(rates, grown);
            losses = Arrays.copyOf(losses, grown);
            smoothed = Arrays.copyOf(smoothed, grown);
        }
        average = smoothing * average + (1 - smoothing) * loss;
        double s = average / (1 - Math.pow(smoothing, k + 1.0));
        rates[k] = SweepSchedule.rate(minValue, maxValue, steps, k);
        losses[k] = loss;
        smoothed[k] = s;
        size++;
        stopped = !Double.isFinite(loss) || (k >= 1 && s > divergenceFactor * minSmoothed);
        minSmoothed = Math.min(minSmoothed, s);
        return stopped;
    }

    /** The result so far, with its suggestions. */
    LearningRateFinder.Result result() {
        double[] r = Arrays.copyOf(rates, size);
        double[] s = Arrays.copyOf(smoothed, size);
        int[] points = {Suggestions.steepest(r, s), Suggestions.valley(s, steps), Suggestions.minimum(s)};
        return new LearningRateFinder.Result(r, Arrays.copyOf(losses, size), s, stopped, points);
    }
}
