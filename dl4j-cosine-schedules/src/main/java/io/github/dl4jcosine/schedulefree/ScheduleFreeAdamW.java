package io.github.dl4jcosine.schedulefree;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.util.Map;
import java.util.Objects;

/**
 * Schedule-free AdamW (Defazio et al., "The Road Less Scheduled", NeurIPS 2024) as a DL4J updater: no
 * learning-rate schedule, no horizon to choose. It computes what {@code schedulefree} 1.4.1's
 * {@code AdamWScheduleFree} computes (facebookresearch/schedule_free), step for step.
 *
 * <p>Three sequences: {@code z} (the SGD-like base sequence), {@code x} (a weighted running average of the
 * {@code z}s: the point to evaluate and export) and {@code y = (1 - beta1) * z + beta1 * x} (the point
 * where gradients are taken: what the network holds during training). Step {@code k = 0, 1, ...} with the
 * gradient {@code g} taken at {@code y}:
 * <pre>{@code
 * lr_k   = learningRate * min(1, (k + 1) / warmupSteps)          (learningRate when warmupSteps = 0)
 * w_k    = (k + 1)^r * lr_k^weightLrPower                        averaging weight
 * c_k    = w_k / (w_0 + ... + w_k)                               (c_0 = 1)
 * v      = beta2 * v + (1 - beta2) * g^2                          (v starts at 0)
 * d      = g / (sqrt(v / (1 - beta2^(k+1))) + epsilon) + weightDecay * y     weight decay taken at y
 * z'     = z - lr_k * d
 * x'     = (1 - c_k) * x + c_k * z'
 * y'     = (1 - beta1) * z' + beta1 * x'
 * }</pre>
 * There is no first-moment average and no first-moment bias correction: {@code beta1} is the interpolation
 * between {@code z} and {@code x}. At {@code k = 0}, {@code x = y = z} (the initial parameters) and
 * {@code c_0 = 1}, so the first step is a plain normalized step. {@code lr_k} rises linearly over the warmup
 * and is the weight's learning rate too ({@code lr_max} in the package, equal to {@code lr_k} because
 * {@code lr_k} never decreases). {@code r > 0} weights late iterates more ({@code (k+1)^r}); {@code
 * weightLrPower = 0} ignores the warmup in the average. The factor {@code learningRate^weightLrPower} is common
 * to every weight and cancels in {@code c_k}; it is left out (the package would give {@code c_k = 0} where
 * it underflows, e.g. {@code learningRate = 1e-10} with power 40).
 *
 * <p>DL4J applies {@code params -= update} and never shows an updater the parameters. The network holds
 * {@code y}; the updater state holds {@code x - y}, {@code v}, {@code k} and the running sum of the weights
 * (as {@code sum / w_k}), about 2x the parameters. Then {@code y' = y - u} with
 * {@code u = c_k * beta1 / (1 - beta1) * (x - y) + lr_k * (1 - beta1 * (1 - c_k)) * d} and
 * {@code x' - y' = (1 - c_k) * ((x - y) + (1 - beta1) * lr_k * d)}. With {@code weightDecay > 0} the step
 * needs {@code y}: call {@link ScheduleFree#prepare} after {@code init()} and after loading or cloning a
 * network (or add {@link ScheduleFree#listener()}); without it the first update throws
 * {@code IllegalStateException}. {@link ScheduleFree#evalMode} swaps the network to {@code x} for evaluation
 * and export. The step count {@code k} is the updater's own, as in the package: DL4J's iteration counter is
 * not used (it only feeds {@link #getLearningRate}, for listeners).
 *
 * <pre>{@code
 * MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
 *         .updater(ScheduleFreeAdamW.builder().learningRate(0.0025).warmupSteps(500).weightDecay(0.01).build())
 *         .list() ... .build();
 * MultiLayerNetwork net = new MultiLayerNetwork(conf);
 * net.init();
 * ScheduleFree.prepare(net);                       // needed with weightDecay > 0; harmless otherwise
 * net.fit(train, epochs);
 * try (ScheduleFree.EvalMode x = ScheduleFree.evalMode(net)) {
 *     net.evaluate(test);                          // at the averaged parameters x
 * }
 * }</pre>
 * Property names ({@code learningRate, beta1, beta2, epsilon, weightDecay, warmupSteps, r, weightLrPower})
 * are the JSON names; reading is strict (an unknown or repeated property, {@code null}, a string for a number
 * or a fractional {@code warmupSteps} fails naming it) and a property left out takes the default above.
 *
 * @see <a href="https://arxiv.org/abs/2405.15682">Defazio, Yang, Mehta, Mishchenko, Khaled, Cutkosky: The Road
 *      Less Scheduled, NeurIPS 2024, arXiv:2405.15682</a>
 */
@JsonDeserialize(using = StrictUpdaterJson.AdamW.class)
public final class ScheduleFreeAdamW implements IUpdater {

    private static final long serialVersionUID = 20261201L;

    /** The package's defaults. */
    public static final double DEFAULT_LEARNING_RATE = 0.0025;
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;
    public static final double DEFAULT_WEIGHT_LR_POWER = 2.0;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final int warmupSteps;
    private final double r;
    private final double weightLrPower;

    /**
     * @param learningRate  peak step size ({@code lr}), finite and {@code > 0}
     * @param beta1         interpolation between z and x ({@code betas[0]}), in {@code [0, 1)}
     * @param beta2         second-moment decay ({@code betas[1]}), in {@code [0, 1)}
     * @param epsilon       added to the root of the second moment ({@code eps}), finite and {@code > 0}
     * @param weightDecay   decoupled weight decay taken at y ({@code weight_decay}), finite and {@code >= 0}
     * @param warmupSteps   linear warmup of the step size over this many updates ({@code warmup_steps}), {@code >= 0}
     * @param r             polynomial weighting of the average, {@code (k+1)^r} ({@code r}), finite and {@code >= 0}
     * @param weightLrPower power of the learning rate in the averaging weight ({@code weight_lr_power}),
     *                      finite and {@code >= 0}
     * @throws IllegalArgumentException naming the parameter, if any rule above is broken
     */
    public ScheduleFreeAdamW(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
                             int warmupSteps, double r, double weightLrPower) {
        this.learningRate = UpdaterChecks.positive("learningRate", learningRate);
        this.beta1 = UpdaterChecks.unitInterval("beta1", beta1);
        this.beta2 = UpdaterChecks.unitInterval("beta2", beta2);
        this.epsilon = UpdaterChecks.positive("epsilon", epsilon);
        this.weightDecay = UpdaterChecks.nonNegative("weightDecay", weightDecay);
        this.warmupSteps = UpdaterChecks.nonNegative("warmupSteps", warmupSteps);
        this.r = UpdaterChecks.nonNegative("r", r);
        this.weightLrPower = UpdaterChecks.nonNegative("weightLrPower", weightLrPower);
    }

    /** A builder with the package's defaults: learningRate 0.0025, betas 0.9/0.999, epsilon 1e-8, power 2, rest 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** Updater state per parameter array of {@code numParams}: x - y and v, plus a few counters. */
    @Override
    public long stateSize(long numParams) {
        return 2 * numParams + ScheduleFreeUpdater.SLOTS;
    }

    @Override
    public GradientUpdater<IUpdater> instantiate(INDArray viewArray, boolean initializeViewArray) {
        return new ScheduleFreeUpdater(this, viewArray, initializeViewArray);
    }

    @Override
    public GradientUpdater<IUpdater> instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        return new ScheduleFreeUpdater(this, updaterState, initializeStateArrays);
    }

    @Override
    public ScheduleFreeAdamW clone() {
        return new ScheduleFreeAdamW(learningRate, beta1, beta2, epsilon, weightDecay, warmupSteps, r, weightLrPower);
    }

    /**
     * The step size {@code lr_k} of the update at DL4J's {@code iteration}, taken as the step count {@code k}:
     * {@code learningRate * min(1, (iteration + 1) / warmupSteps)}. For listeners and DL4J's regularization;
     * the updater itself counts its own steps.
     */
    @Override
    public double getLearningRate(int iteration, int epoch) {
        return Hyper.scheduledRate(learningRate, iteration, warmupSteps);
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    /**
     * Refused: the learning rate is fixed at construction (warmupSteps replaces a schedule, and the averaging
     * weights depend on every rate used so far). Build a new updater instead.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        throw new UnsupportedOperationException("ScheduleFreeAdamW's learningRate is fixed at construction (its "
                + "warmupSteps replace a schedule): build a new ScheduleFreeAdamW instead of setting the rate "
                + "(asked: lr=" + lr + ", schedule=" + lrSchedule + ")");
    }

    Hyper hyper() {
        return new Hyper("ScheduleFreeAdamW", true, learningRate, beta1, beta2, epsilon, weightDecay, warmupSteps,
                r, weightLrPower);
    }

    public double getLearningRate() {
        return learningRate;
    }

    public double getBeta1() {
        return beta1;
    }

    public double getBeta2() {
        return beta2;
    }

    public double getEpsilon() {
        return epsilon;
    }

    public double getWeightDecay() {
        return weightDecay;
    }

    public int getWarmupSteps() {
        return warmupSteps;
    }

    public double getR() {
        return r;
    }

    public double getWeightLrPower() {
        return weightLrPower;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ScheduleFreeAdamW)) {
            return false;
        }
        ScheduleFreeAdamW that = (ScheduleFreeAdamW) o;
        return Double.compare(learningRate, that.learningRate) == 0
                && Double.compare(beta1, that.beta1) == 0
                && Double.compare(beta2, that.beta2) == 0
                && Double.compare(epsilon, that.epsilon) == 0
                && Double.compare(weightDecay, that.weightDecay) == 0
                && warmupSteps == that.warmupSteps
                && Double.compare(r, that.r) == 0
                && Double.compare(weightLrPower, that.weightLrPower) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, beta1, beta2, epsilon, weightDecay, warmupSteps, r, weightLrPower);
    }

    @Override
    public String toString() {
        return "ScheduleFreeAdamW(learningRate=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2
                + ", epsilon=" + epsilon + ", weightDecay=" + weightDecay + ", warmupSteps=" + warmupSteps
                + ", r=" + r + ", weightLrPower=" + weightLrPower + ")";
    }

    /** Builds a {@link ScheduleFreeAdamW}; starts from the package's defaults. */
    public static final class Builder {
        private double learningRate = DEFAULT_LEARNING_RATE;
        private double beta1 = DEFAULT_BETA1;
        private double beta2 = DEFAULT_BETA2;
        private double epsilon = DEFAULT_EPSILON;
        private double weightDecay;
        private int warmupSteps;
        private double r;
        private double weightLrPower = DEFAULT_WEIGHT_LR_POWER;

        private Builder() {
        }

        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder beta1(double beta1) {
            this.beta1 = beta1;
            return this;
        }

        public Builder beta2(double beta2) {
            this.beta2 = beta2;
            return this;
        }

        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder warmupSteps(int warmupSteps) {
            this.warmupSteps = warmupSteps;
            return this;
        }

        public Builder r(double r) {
            this.r = r;
            return this;
        }

        public Builder weightLrPower(double weightLrPower) {
            this.weightLrPower = weightLrPower;
            return this;
        }

        /** @throws IllegalArgumentException naming the parameter, as the constructor */
        public ScheduleFreeAdamW build() {
            return new ScheduleFreeAdamW(learningRate, beta1, beta2, epsilon, weightDecay, warmupSteps, r,
                    weightLrPower);
        }
    }
}
