package io.github.dl4jcosine.schedulefree;

import java.io.Serializable;

/**
 * The hyperparameters of one schedule-free configuration and the per-step scalars derived from them. For
 * SGD, {@code beta} is the momentum and {@code beta2}, {@code epsilon} are unused.
 */
final class Hyper implements Serializable {

    private static final long serialVersionUID = 20261201L;

    final String name;
    final boolean adam;
    final double learningRate;
    final double beta;
    final double beta2;
    final double epsilon;
    final double weightDecay;
    final int warmupSteps;
    final double r;
    final double weightLrPower;

    Hyper(String name, boolean adam, double learningRate, double beta, double beta2, double epsilon,
          double weightDecay, int warmupSteps, double r, double weightLrPower) {
        this.name = name;
        this.adam = adam;
        this.learningRate = learningRate;
        this.beta = beta;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.warmupSteps = warmupSteps;
        this.r = r;
        this.weightLrPower = weightLrPower;
    }

    /** The package's {@code lr * sched}: {@code sched = (k + 1) / warmupSteps} for {@code k < warmupSteps}, else 1. */
    static double scheduledRate(double learningRate, long k, int warmupSteps) {
        return k < warmupSteps ? learningRate * ((k + 1) / (double) warmupSteps) : learningRate;
    }

    /**
     * {@code T_k = (w_0 + ... + w_k) / w_k}, so that the averaging weight is {@code c_k = 1 / T_k}, from
     * {@code T_(k-1)}: {@code T_0 = 1}, {@code T_k = T_(k-1) * w_(k-1) / w_k + 1} with
     * {@code w_(k-1) / w_k = (k / (k+1))^(r + (k < warmupSteps ? weightLrPower : 0))} (the learning rate's power
     * cancels after the warmup). The ratio is at most 1, so {@code 1 <= T_k <= k + 1}: no overflow, no underflow
     * to 0/0 at any step count.
     */
    double sumRatio(long k, double previous) {
        if (k == 0) {
            return 1.0;
        }
        double exponent = r + (k < warmupSteps ? weightLrPower : 0);
        if (exponent == 0) {
            return previous + 1;
        }
        return previous * Math.pow(k / (double) (k + 1), exponent) + 1;
    }
}
