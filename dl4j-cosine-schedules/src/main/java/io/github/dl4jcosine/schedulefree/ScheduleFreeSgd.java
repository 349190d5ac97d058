package io.github.dl4jcosine.schedulefree;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.util.Map;
import java.util.Objects;

/**
 * Schedule-free SGD (Defazio et al., "The Road Less Scheduled", NeurIPS 2024) as a DL4J updater: SGD with
 * momentum as an interpolation between a base sequence and its running average, no learning-rate schedule.
 * It computes what {@code schedulefree} 1.4.1's {@code SGDScheduleFree} computes, step for step.
 *
 * <p>Three sequences: {@code z} (plain SGD steps), {@code x} (a weighted running average of the {@code z}s:
 * the point to evaluate and export) and {@code y = (1 - momentum) * z + momentum * x} (where gradients are
 * taken: what the network holds during training). Step {@code k = 0, 1, ...} with the gradient {@code g} at
 * {@code y}:
 * <pre>{@code
 * lr_k   = learningRate * min(1, (k + 1) / warmupSteps)          (learningRate when warmupSteps = 0)
 * w_k    = (k + 1)^r * lr_k^weightLrPower                        averaging weight
 * c_k    = w_k / (w_0 + ... + w_k)                               (c_0 = 1)
 * d      = g + weightDecay * y                                   weight decay taken at y
 * z'     = z - lr_k * d
 * x'     = (1 - c_k) * x + c_k * z'
 * y'     = (1 - momentum) * z' + momentum * x'
 * }</pre>
 * At {@code k = 0}, {@code x = y = z} (the initial parameters) and {@code c_0 = 1}. {@code r > 0} weights late
 * iterates more; {@code weightLrPower = 0} ignores the warmup in the average; {@code learningRate^weightLrPower}
 * cancels in {@code c_k} and is left out (no underflow). The package refuses {@code momentum = 0}; here it is
 * allowed and means {@code y = z}: SGD whose evaluation point {@code x} is the weighted average of its
 * iterates.
 *
 * <p>DL4J applies {@code params -= update} and never shows an updater the parameters. The network holds
 * {@code y}; the updater state holds {@code x - y}, {@code k} and the running sum of the weights, about 1x the
 * parameters: {@code y' = y - u} with
 * {@code u = c_k * momentum / (1 - momentum) * (x - y) + lr_k * (1 - momentum * (1 - c_k)) * d} and
 * {@code x' - y' = (1 - c_k) * ((x - y) + (1 - momentum) * lr_k * d)}. With {@code weightDecay > 0} the step
 * needs {@code y}: call {@link ScheduleFree#prepare} after {@code init()} and after loading or cloning a
 * network (or add {@link ScheduleFree#listener()}); without it the first update throws
 * {@code IllegalStateException}. {@link ScheduleFree#evalMode} swaps the network to {@code x}. The step count
 * {@code k} is the updater's own, as in the package.
 *
 * <pre>{@code
 * IUpdater sgd = ScheduleFreeSgd.builder().learningRate(1.0).momentum(0.9).warmupSteps(100).build();
 * }</pre>
 * Property names ({@code learningRate, momentum, weightDecay, warmupSteps, r, weightLrPower}) are the JSON
 * names; reading is strict, and a property left out takes the default.
 *
 * @see <a href="https://arxiv.org/abs/2405.15682">Defazio, Yang, Mehta, Mishchenko, Khaled, Cutkosky: The Road
 *      Less Scheduled, NeurIPS 2024, arXiv:2405.15682</a>
 */
@JsonDeserialize(using = StrictUpdaterJson.Sgd.class)
public final class ScheduleFreeSgd implements IUpdater {

    private static final long serialVersionUID = 20261201L;

    /** The package's defaults. */
    public static final double DEFAULT_LEARNING_RATE = 1.0;
    public static final double DEFAULT_MOMENTUM = 0.9;
    public static final double DEFAULT_WEIGHT_LR_POWER = 2.0;

    private final double learningRate;
    private final double momentum;
    private final double weightDecay;
    private final int warmupSteps;
    private final double r;
    private final double weightLrPower;

    /**
     * @param learningRate  peak step size ({@code lr}), finite and {@code > 0}
     * @param momentum      interpolation between z and x ({@code momentum}), in {@code [0, 1)}
     * @param weightDecay   weight decay taken at y ({@code weight_decay}), finite and {@code >= 0}
     * @param warmupSteps   linear warmup of the step size over this many updates ({@code warmup_steps}), {@code >= 0}
     * @param r             polynomial weighting of the average, {@code (k+1)^r} ({@code r}), finite and {@code >= 0}
     * @param weightLrPower power of the learning rate in the averaging weight ({@code weight_lr_power}),
     *                      finite and {@code >= 0}
     * @throws IllegalArgumentException naming the parameter, if any rule above is broken
     */
    public ScheduleFreeSgd(double learningRate, double momentum, double weightDecay, int warmupSteps, double r,
                           double weightLrPower) {
        this.learningRate = UpdaterChecks.positive("learningRate", learningRate);
        this.momentum = UpdaterChecks.unitInterval("momentum", momentum);
        this.weightDecay = UpdaterChecks.nonNegative("weightDecay", weightDecay);
        this.warmupSteps = UpdaterChecks.nonNegative("warmupSteps", warmupSteps);
        this.r = UpdaterChecks.nonNegative("r", r);
        this.weightLrPower = UpdaterChecks.nonNegative("weightLrPower", weightLrPower);
    }

    /** A builder with the package's defaults: learningRate 1.0, momentum 0.9, power 2, rest 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** Updater state per parameter array of {@code numParams}: x - y, plus a few counters. */
    @Override
    public long stateSize(long numParams) {
        return numParams + ScheduleFreeUpdater.SLOTS;
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
    public ScheduleFreeSgd clone() {
        return new ScheduleFreeSgd(learningRate, momentum, weightDecay, warmupSteps, r, weightLrPower);
    }

    /**
     * The step size {@code lr_k} of the update at DL4J's {@code iteration}, taken as the step count {@code k}:
     * {@code learningRate * min(1, (iteration + 1) / warmupSteps)}. For listeners and DL4J's regularization.
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
     * Refused: the learning rate is fixed at construction. Build a new updater instead.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        throw new UnsupportedOperationException("ScheduleFreeSgd's learningRate is fixed at construction (its "
                + "warmupSteps replace a schedule): build a new ScheduleFreeSgd instead of setting the rate "
                + "(asked: lr=" + lr + ", schedule=" + lrSchedule + ")");
    }

    Hyper hyper() {
        return new Hyper("ScheduleFreeSgd", false, learningRate, momentum, 0, 0, weightDecay, warmupSteps, r,
                weightLrPower);
    }

    public double getLearningRate() {
        return learningRate;
    }

    public double getMomentum() {
        return momentum;
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
        if (!(o instanceof ScheduleFreeSgd)) {
            return false;
        }
        ScheduleFreeSgd that = (ScheduleFreeSgd) o;
        return Double.compare(learningRate, that.learningRate) == 0
                && Double.compare(momentum, that.momentum) == 0
                && Double.compare(weightDecay, that.weightDecay) == 0
                && warmupSteps == that.warmupSteps
                && Double.compare(r, that.r) == 0
                && Double.compare(weightLrPower, that.weightLrPower) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, momentum, weightDecay, warmupSteps, r, weightLrPower);
    }

    @Override
    public String toString() {
        return "ScheduleFreeSgd(learningRate=" + learningRate + ", momentum=" + momentum + ", weightDecay="
                + weightDecay + ", warmupSteps=" + warmupSteps + ", r=" + r + ", weightLrPower=" + weightLrPower + ")";
    }

    /** Builds a {@link ScheduleFreeSgd}; starts from the package's defaults. */
    public static final class Builder {
        private double learningRate = DEFAULT_LEARNING_RATE;
        private double momentum = DEFAULT_MOMENTUM;
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

        public Builder momentum(double momentum) {
            this.momentum = momentum;
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
        public ScheduleFreeSgd build() {
            return new ScheduleFreeSgd(learningRate, momentum, weightDecay, warmupSteps, r, weightLrPower);
        }
    }
}
