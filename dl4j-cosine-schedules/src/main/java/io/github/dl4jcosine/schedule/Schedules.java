package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.ArrayList;
import java.util.List;

/**
 * Factories and builders that read well at the call site. Every method returns one of the schedule
 * classes of this package, built through its one constructor (same checks, same JSON).
 *
 * <pre>{@code
 * import static io.github.dl4jcosine.schedule.Schedules.*;
 *
 * new Sgd(cosine(EPOCH, 0.1, 200));                            // 0.1 -> 0 over 200 epochs
 * new Adam(warmupCosine(EPOCH, 1e-3, 5, 90));                  // 0 -> 1e-3 over 5 epochs, cosine to 0 at 90
 * new Nesterovs(sgdr(EPOCH, 0.05, 10, 2), 0.9);                // restarts at 10, 30, 70, ...
 * new Adam(cosineAnnealing(EPOCH).initialValue(1e-3).minValue(1e-5).period(90)
 *         .iterationsPerEpoch(390).build());                   // moves every iteration
 * new Sgd(sequence(EPOCH).start(linear(EPOCH, 0.01, 0.1, 5))
 *         .then(5, cosine(EPOCH, 0.1, 85)).build());           // PyTorch SequentialLR
 * new Nesterovs(oneCycle(ITERATION, 0.1, 11700),
 *         oneCycleMomentum(ITERATION, 11700));                 // PyTorch OneCycleLR, lr and momentum
 * new Adam(wsd(ITERATION, 3e-4, 2000, 88000, 10000));          // Hugging Face get_wsd_schedule
 * new Adam(warmupCosine(EPOCH).peakValue(1e-3).minRatio(0.1)
 *         .warmupPeriod(5).totalPeriod(90).build());           // minValue = 0.1 x peakValue
 * }</pre>
 * Defaults, where a builder leaves a property unset: {@code minValue} 0 (or {@code minRatio(r)}:
 * {@code r} times the initial or peak value, {@code 0 <= r <= 1}), {@code warmupStartValue} 0,
 * {@code periodMultiplier} 1 (PyTorch's {@code T_mult} default), {@code peakDecay} 1,
 * {@code maxCycles} 0 (unlimited), {@code iterationsPerEpoch} 0 (whole epochs or iterations).
 * Values and periods without a sensible default must be set; {@code build()} names a missing one.
 */
public final class Schedules {

    private Schedules() {
    }

    /** Cosine from {@code initialValue} to 0 over {@code period}. */
    public static CosineAnnealingSchedule cosine(ScheduleType unit, double initialValue, int period) {
        return new CosineAnnealingSchedule(unit, initialValue, 0.0, period);
    }

    /** Cosine from {@code initialValue} to {@code minValue} over {@code period}. */
    public static CosineAnnealingSchedule cosine(ScheduleType unit, double initialValue, double minValue, int period) {
        return new CosineAnnealingSchedule(unit, initialValue, minValue, period);
    }

    /** SGDR to 0: cycles of {@code firstPeriod}, each {@code periodMultiplier} times longer than the last. */
    public static CosineWarmRestartsSchedule sgdr(ScheduleType unit, double initialValue, int firstPeriod,
                                                  double periodMultiplier) {
        return new CosineWarmRestartsSchedule(unit, initialValue, 0.0, firstPeriod, periodMultiplier);
    }

    /** Linear warmup from 0 to {@code peakValue} over {@code warmupPeriod}, cosine to 0 at {@code totalPeriod}. */
    public static WarmupCosineSchedule warmupCosine(ScheduleType unit, double peakValue, int warmupPeriod,
                                                    int totalPeriod) {
        return new WarmupCosineSchedule(unit, peakValue, 0.0, 0.0, warmupPeriod, totalPeriod);
    }

    /** A straight line from {@code startValue} to {@code endValue} over {@code period}, then held. */
    public static LinearSchedule linear(ScheduleType unit, double startValue, double endValue, int period) {
        return new LinearSchedule(unit, startValue, endValue, period);
    }

    /** A linear warmup from 0 over {@code warmupPeriod} in front of {@code schedule}. */
    public static LinearWarmupSchedule warmup(ScheduleType unit, int warmupPeriod, ISchedule schedule) {
        return new LinearWarmupSchedule(unit, warmupPeriod, 0.0, schedule);
    }

    /** The product of the factors' values. */
    public static ProductSchedule product(ISchedule... factors) {
        return new ProductSchedule(factors);
    }

    /**
     * {@code schedule} with every value multiplied by {@code factor}: a {@link ProductSchedule} of DL4J's
     * {@code FixedSchedule(factor)} and {@code schedule}, so it is saved in JSON like any schedule. For
     * per-layer rates (a backbone at 0.1x the head) without rewriting the schedule's parameters.
     *
     * @throws IllegalArgumentException if {@code schedule} is null or {@code factor} is not finite and {@code > 0}
     */
    public static ProductSchedule scaled(ISchedule schedule, double factor) {
        Checks.notNull("schedule", schedule);
        Checks.positiveFinite("factor", factor);
        Checks.value("factor", factor);
        return new ProductSchedule(new FixedSchedule(factor), schedule);
    }

    /**
     * The linear scaling rule for large minibatches (Goyal et al., 2017): {@code schedule} scaled by
     * {@code batchSize / 256}, for a schedule tuned at batch size 256.
     *
     * @throws IllegalArgumentException if {@code schedule} is null or {@code batchSize < 1}
     */
    public static ProductSchedule linearScaling(ISchedule schedule, int batchSize) {
        Checks.positive("batchSize", batchSize);
        return scaled(schedule, batchSize / 256.0);
    }

    /**
     * The square-root scaling rule for adaptive optimizers (Adam and friends; Malladi et al., 2022, Granziol
     * et al., 2022): {@code schedule} scaled by {@code sqrt(batchSize / 256)}, for a schedule tuned at batch
     * size 256.
     *
     * @throws IllegalArgumentException if {@code schedule} is null or {@code batchSize < 1}
     */
    public static ProductSchedule sqrtScaling(ISchedule schedule, int batchSize) {
        Checks.positive("batchSize", batchSize);
        return scaled(schedule, Math.sqrt(batchSize / 256.0));
    }

    /**
     * PyTorch's {@code OneCycleLR(max_lr=maxValue, total_steps=totalPeriod)} with its defaults: cosine from
     * {@code maxValue / 25} up to {@code maxValue} until {@code 0.3 * totalPeriod - 1}, then down to
     * {@code maxValue / 25 / 1e4} at {@code totalPeriod - 1}; two phases.
     */
    public static OneCycleSchedule oneCycle(ScheduleType unit, double maxValue, int totalPeriod) {
        Checks.value("maxValue", maxValue);   // named as given, before the initialValue derived from it
        double initial = maxValue / 25.0;
        return new OneCycleSchedule(unit, initial, maxValue, initial / 1e4, totalPeriod, 0.3, false);
    }

    /**
     * The momentum that PyTorch's {@code OneCycleLR} cycles with its defaults: 0.95 down to 0.85 until
     * {@code 0.3 * totalPeriod - 1}, back to 0.95 at {@code totalPeriod - 1}. Pair it with
     * {@link #oneCycle} of the same unit and period in {@code new Nesterovs(lr, momentum)}.
     */
    public static OneCycleSchedule oneCycleMomentum(ScheduleType unit, int totalPeriod) {
        return new OneCycleSchedule(unit, 0.95, 0.85, 0.95, totalPeriod, 0.3, false);
    }

    /**
     * Hugging Face's {@code get_wsd_schedule} with its defaults: linear warmup from 0 to {@code peakValue}
     * over {@code warmupPeriod}, {@code peakValue} for {@code stablePeriod}, cosine decay to 0 over
     * {@code decayPeriod}.
     */
    public static WarmupStableDecaySchedule wsd(ScheduleType unit, double peakValue, int warmupPeriod,
                                                int stablePeriod, int decayPeriod) {
        return new WarmupStableDecaySchedule(unit, peakValue, 0.0, 0.0, warmupPeriod, stablePeriod, decayPeriod,
                WarmupStableDecaySchedule.Shape.LINEAR, WarmupStableDecaySchedule.Shape.COSINE);
    }

    /** Builder for {@link OneCycleSchedule}; required: peakValue, totalPeriod (other settings: PyTorch's defaults). */
    public static OneCycleBuilder oneCycle(ScheduleType unit) {
        return new OneCycleBuilder(unit);
    }

    /** Builder for {@link WarmupStableDecaySchedule}; required: peakValue, warmupPeriod, stablePeriod, decayPeriod. */
    public static WarmupStableDecayBuilder warmupStableDecay(ScheduleType unit) {
        return new WarmupStableDecayBuilder(unit);
    }

    /** Builder for {@link CosineAnnealingSchedule}; required: initialValue, period. */
    public static CosineAnnealingBuilder cosineAnnealing(ScheduleType unit) {
        return new CosineAnnealingBuilder(unit);
    }

    /** Builder for {@link CosineWarmRestartsSchedule}; required: initialValue, firstPeriod. */
    public static WarmRestartsBuilder warmRestarts(ScheduleType unit) {
        return new WarmRestartsBuilder(unit);
    }

    /** Builder for {@link WarmupCosineSchedule}; required: peakValue, warmupPeriod, totalPeriod. */
    public static WarmupCosineBuilder warmupCosine(ScheduleType unit) {
        return new WarmupCosineBuilder(unit);
    }

    /** Builder for {@link SequentialSchedule}: {@code start(first).then(milestone, next)...build()}. */
    public static SequenceBuilder sequence(ScheduleType unit) {
        return new SequenceBuilder(unit);
    }

    /** A builder's required setting: its value, or an error naming the setter when it was never called. */
    private static <T> T required(String name, T value) {
        Checks.argument(value != null, name + " is required: call " + name + "(...) before build()");
        return value;
    }

    /** Checks {@code r} for {@code minRatio(r)}: {@code 0 <= r <= 1}. */
    private static double checkMinRatio(double r) {
        Checks.argument(r >= 0 && r <= 1, "minRatio (" + r + ") must be in [0, 1]");
        return r;
    }

    /**
     * A builder's {@code minValue}: {@code minRatio x reference} when {@code minRatio(...)} was called, else
     * the {@code minValue(...)} set (0 by default); both set is an error.
     */
    private static double minValue(Double minValue, Double minRatio, String reference, double referenceValue) {
        Checks.argument(minValue == null || minRatio == null, "minValue (" + minValue + ") and minRatio (" + minRatio
                + ") are both set; set one: minValue = minRatio x " + reference);
        return minRatio != null ? minRatio * referenceValue : minValue != null ? minValue : 0.0;
    }

    /** See {@link #cosineAnnealing(ScheduleType)}. */
    public static final class CosineAnnealingBuilder {
        private final ScheduleType unit;
        private Double initialValue;
        private Double minValue;
        private Double minRatio;
        private Integer period;
        private int iterationsPerEpoch;

        private CosineAnnealingBuilder(ScheduleType unit) {
            this.unit = unit;
        }

        public CosineAnnealingBuilder initialValue(double value) {
            this.initialValue = value;
            return this;
        }

        public CosineAnnealingBuilder minValue(double value) {
            this.minValue = value;
            return this;
        }

        /** {@code minValue = ratio x initialValue}, {@code 0 <= ratio <= 1} (Hugging Face's {@code min_lr_ratio}). */
        public CosineAnnealingBuilder minRatio(double ratio) {
            this.minRatio = checkMinRatio(ratio);
            return this;
        }

        public CosineAnnealingBuilder period(int value) {
            this.period = value;
            return this;
        }

        public CosineAnnealingBuilder iterationsPerEpoch(int value) {
            this.iterationsPerEpoch = value;
            return this;
        }

        public CosineAnnealingSchedule build() {
            double initial = required("initialValue", initialValue);
            return new CosineAnnealingSchedule(unit, initial,
                    Schedules.minValue(minValue, minRatio, "initialValue", initial), required("period", period),
                    iterationsPerEpoch);
        }
    }

    /** See {@link #warmRestarts(ScheduleType)}. */
    public static final class WarmRestartsBuilder {
        private final ScheduleType unit;
        private Double initialValue;
        private Double minValue;
        private Double minRatio;
        private Integer firstPeriod;
        private double periodMultiplier = 1.0;
        private double peakDecay = 1.0;
        private int maxCycles;
        private int iterationsPerEpoch;

        private WarmRestartsBuilder(ScheduleType unit) {
            this.unit = unit;
        }

        public WarmRestartsBuilder initialValue(double value) {
            this.initialValue = value;
            return this;
        }

        public WarmRestartsBuilder minValue(double value) {
            this.minValue = value;
            return this;
        }

        /** {@code minValue = ratio x initialValue}, {@code 0 <= ratio <= 1} (Hugging Face's {@code min_lr_ratio}). */
        public WarmRestartsBuilder minRatio(double ratio) {
            this.minRatio = checkMinRatio(ratio);
            return this;
        }

        public WarmRestartsBuilder firstPeriod(int value) {
            this.firstPeriod = value;
            return this;
        }

        public WarmRestartsBuilder periodMultiplier(double value) {
            this.periodMultiplier = value;
            return this;
        }

        public WarmRestartsBuilder peakDecay(double value) {
            this.peakDecay = value;
            return this;
        }

        public WarmRestartsBuilder maxCycles(int value) {
            this.maxCycles = value;
            return this;
        }

        public WarmRestartsBuilder iterationsPerEpoch(int value) {
            this.iterationsPerEpoch = value;
            return this;
        }

        public CosineWarmRestartsSchedule build() {
            double initial = required("initialValue", initialValue);
            return new CosineWarmRestartsSchedule(unit, initial,
                    Schedules.minValue(minValue, minRatio, "initialValue", initial),
                    required("firstPeriod", firstPeriod), periodMultiplier, peakDecay, maxCycles, iterationsPerEpoch);
        }
    }

    /** See {@link #warmupCosine(ScheduleType)}. */
    public static final class WarmupCosineBuilder {
        private final ScheduleType unit;
        private Double peakValue;
        private double warmupStartValue;
        private Double minValue;
        private Double minRatio;
        private Integer warmupPeriod;
        private Integer totalPeriod;
        private int iterationsPerEpoch;

        private WarmupCosineBuilder(ScheduleType unit) {
            this.unit = unit;
        }

        public WarmupCosineBuilder peakValue(double value) {
            this.peakValue = value;
            return this;
        }

        public WarmupCosineBuilder warmupStartValue(double value) {
            this.warmupStartValue = value;
            return this;
        }

        public WarmupCosineBuilder minValue(double value) {
            this.minValue = value;
            return this;
        }

        /** {@code minValue = ratio x peakValue}, {@code 0 <= ratio <= 1} (Hugging Face's {@code min_lr_ratio}). */
        public WarmupCosineBuilder minRatio(double ratio) {
            this.minRatio = checkMinRatio(ratio);
            return this;
        }

        public WarmupCosineBuilder warmupPeriod(int value) {
            this.warmupPeriod = value;
            return this;
        }

        public WarmupCosineBuilder totalPeriod(int value) {
            this.totalPeriod = value;
            return this;
        }

        public WarmupCosineBuilder iterationsPerEpoch(int value) {
            this.iterationsPerEpoch = value;
            return this;
        }

        public WarmupCosineSchedule build() {
            double peak = required("peakValue", peakValue);
            return new WarmupCosineSchedule(unit, peak, warmupStartValue,
                    Schedules.minValue(minValue, minRatio, "peakValue", peak),
                    required("warmupPeriod", warmupPeriod), required("totalPeriod", totalPeriod), iterationsPerEpoch);
        }
    }

    /** See {@link #oneCycle(ScheduleType)}. Unset: initialValue = peakValue / 25, finalValue = initialValue / 1e4,
     * peakFraction 0.3, two phases (PyTorch's {@code div_factor}, {@code final_div_factor}, {@code pct_start}). */
    public static final class OneCycleBuilder {
        private final ScheduleType unit;
        private Double initialValue;
        private Double peakValue;
        private Double finalValue;
        private Integer totalPeriod;
        private double peakFraction = 0.3;
        private boolean threePhase;
        private int iterationsPerEpoch;

        private OneCycleBuilder(ScheduleType unit) {
            this.unit = unit;
        }

        public OneCycleBuilder initialValue(double value) {
            this.initialValue = value;
            return this;
        }

        public OneCycleBuilder peakValue(double value) {
            this.peakValue = value;
            return this;
        }

        public OneCycleBuilder finalValue(double value) {
            this.finalValue = value;
            return this;
        }

        public OneCycleBuilder totalPeriod(int value) {
            this.totalPeriod = value;
            return this;
        }

        public OneCycleBuilder peakFraction(double value) {
            this.peakFraction = value;
            return this;
        }

        public OneCycleBuilder threePhase(boolean value) {
            this.threePhase = value;
            return this;
        }

        public OneCycleBuilder iterationsPerEpoch(int value) {
            this.iterationsPerEpoch = value;
            return this;
        }

        public OneCycleSchedule build() {
            double peak = Checks.value("peakValue", required("peakValue", peakValue)); // before initialValue = peak / 25
            double initial = initialValue != null ? initialValue : peak / 25.0;
            return new OneCycleSchedule(unit, initial, peak, finalValue != null ? finalValue : initial / 1e4,
                    required("totalPeriod", totalPeriod), peakFraction, threePhase, iterationsPerEpoch);
        }
    }

    /** See {@link #warmupStableDecay(ScheduleType)}. Unset: warmupStartValue 0, minValue 0, LINEAR warmup,
     * COSINE decay (Hugging Face's defaults). */
    public static final class WarmupStableDecayBuilder {
        private final ScheduleType unit;
        private Double peakValue;
        private double warmupStartValue;
        private Double minValue;
        private Double minRatio;
        private Integer warmupPeriod;
        private Integer stablePeriod;
        private Integer decayPeriod;
        private WarmupStableDecaySchedule.Shape warmupShape = WarmupStableDecaySchedule.Shape.LINEAR;
        private WarmupStableDecaySchedule.Shape decayShape = WarmupStableDecaySchedule.Shape.COSINE;
        private int iterationsPerEpoch;

        private WarmupStableDecayBuilder(ScheduleType unit) {
            this.unit = unit;
        }

        public WarmupStableDecayBuilder peakValue(double value) {
            this.peakValue = value;
            return this;
        }

        public WarmupStableDecayBuilder warmupStartValue(double value) {
            this.warmupStartValue = value;
            return this;
        }

        public WarmupStableDecayBuilder minValue(double value) {
            this.minValue = value;
            return this;
        }

        /** {@code minValue = ratio x peakValue}, {@code 0 <= ratio <= 1} (Hugging Face's {@code min_lr_ratio}). */
        public WarmupStableDecayBuilder minRatio(double ratio) {
            this.minRatio = checkMinRatio(ratio);
            return this;
        }

        public WarmupStableDecayBuilder warmupPeriod(int value) {
            this.warmupPeriod = value;
            return this;
        }

        public WarmupStableDecayBuilder stablePeriod(int value) {
            this.stablePeriod = value;
            return this;
        }

        public WarmupStableDecayBuilder decayPeriod(int value) {
            this.decayPeriod = value;
            return this;
        }

        public WarmupStableDecayBuilder warmupShape(WarmupStableDecaySchedule.Shape value) {
            this.warmupShape = value;
            return this;
        }

        public WarmupStableDecayBuilder decayShape(WarmupStableDecaySchedule.Shape value) {
            this.decayShape = value;
            return this;
        }

        public WarmupStableDecayBuilder iterationsPerEpoch(int value) {
            this.iterationsPerEpoch = value;
            return this;
        }

        public WarmupStableDecaySchedule build() {
            double peak = required("peakValue", peakValue);
            return new WarmupStableDecaySchedule(unit, peak, warmupStartValue,
                    Schedules.minValue(minValue, minRatio, "peakValue", peak), required("warmupPeriod", warmupPeriod),
                    required("stablePeriod", stablePeriod), required("decayPeriod", decayPeriod), warmupShape,
                    decayShape, iterationsPerEpoch);
        }
    }

    /** See {@link #sequence(ScheduleType)}. */
    public static final class SequenceBuilder {
        private final ScheduleType unit;
        private final List<ISchedule> schedules = new ArrayList<>();
        private final List<Integer> milestones = new ArrayList<>();
        private int iterationsPerEpoch;

        private SequenceBuilder(ScheduleType unit) {
            this.unit = unit;
        }

        /** The first schedule, from time 0. */
        public SequenceBuilder start(ISchedule schedule) {
            Checks.argument(schedules.isEmpty(), "start(...) must come first and only once; use then(milestone, ...)");
            schedules.add(schedule);
            return this;
        }

        /** The next schedule, from {@code milestone} on, with its own time restarted at 0 there. */
        public SequenceBuilder then(int milestone, ISchedule schedule) {
            Checks.argument(!schedules.isEmpty(), "then(" + milestone + ", ...) needs start(...) first");
            milestones.add(milestone);
            schedules.add(schedule);
            return this;
        }

        public SequenceBuilder iterationsPerEpoch(int value) {
            this.iterationsPerEpoch = value;
            return this;
        }

        public SequentialSchedule build() {
            int[] m = new int[milestones.size()];
            for (int i = 0; i < m.length; i++) {
                m[i] = milestones.get(i);
            }
            return new SequentialSchedule(unit, schedules, m, iterationsPerEpoch);
        }
    }
}
