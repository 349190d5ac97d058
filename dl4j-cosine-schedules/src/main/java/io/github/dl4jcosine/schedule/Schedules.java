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
 * }</pre>
 * Defaults, where a builder leaves a property unset: {@code minValue} 0, {@code warmupStartValue} 0,
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

    /** See {@link #cosineAnnealing(ScheduleType)}. */
    public static final class CosineAnnealingBuilder {
        private final ScheduleType unit;
        private Double initialValue;
        private double minValue;
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

        public CosineAnnealingBuilder period(int value) {
            this.period = value;
            return this;
        }

        public CosineAnnealingBuilder iterationsPerEpoch(int value) {
            this.iterationsPerEpoch = value;
            return this;
        }

        public CosineAnnealingSchedule build() {
            return new CosineAnnealingSchedule(unit, required("initialValue", initialValue), minValue,
                    required("period", period), iterationsPerEpoch);
        }
    }

    /** See {@link #warmRestarts(ScheduleType)}. */
    public static final class WarmRestartsBuilder {
        private final ScheduleType unit;
        private Double initialValue;
        private double minValue;
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
            return new CosineWarmRestartsSchedule(unit, required("initialValue", initialValue), minValue,
                    required("firstPeriod", firstPeriod), periodMultiplier, peakDecay, maxCycles, iterationsPerEpoch);
        }
    }

    /** See {@link #warmupCosine(ScheduleType)}. */
    public static final class WarmupCosineBuilder {
        private final ScheduleType unit;
        private Double peakValue;
        private double warmupStartValue;
        private double minValue;
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
            return new WarmupCosineSchedule(unit, required("peakValue", peakValue), warmupStartValue, minValue,
                    required("warmupPeriod", warmupPeriod), required("totalPeriod", totalPeriod), iterationsPerEpoch);
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
