package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Factories and builders that read well at the call site. Every method returns one of the schedule
 * classes of this package, built through its one constructor (same checks, same JSON). One name per family:
 * {@code cosine}, {@code sgdr}, {@code warmupCosine}, {@code oneCycle}, {@code wsd}, {@code linear}, {@code warmup},
 * {@code sequence}, {@code product}; {@code NAME(unit)} returns the family's builder ({@link CosineBuilder}, ...),
 * {@code NAME(unit, ...)} the schedule with the common defaults.
 *
 * <pre>{@code
 * import static io.github.dl4jcosine.schedule.Schedules.*;
 *
 * new Sgd(cosine(EPOCH, 0.1, 200));                            // 0.1 -> 0 over 200 epochs
 * new Adam(warmupCosine(EPOCH, 1e-3, 5, 90));                  // 0 -> 1e-3 over 5 epochs, cosine to 0 at 90
 * new Nesterovs(sgdr(EPOCH, 0.05, 10, 2), 0.9);                // restarts at 10, 30, 70, ...
 * new Adam(cosine(EPOCH).initialValue(1e-3).minValue(1e-5).period(90)
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

    /** Builder for {@link CosineAnnealingSchedule}; required: initialValue, period. */
    public static CosineBuilder cosine(ScheduleType unit) {
        return new CosineBuilder(unit);
    }

    /** Builder for {@link CosineWarmRestartsSchedule}; required: initialValue, firstPeriod. */
    public static SgdrBuilder sgdr(ScheduleType unit) {
        return new SgdrBuilder(unit);
    }

    /** Builder for {@link WarmupCosineSchedule}; required: peakValue, warmupPeriod, totalPeriod. */
    public static WarmupCosineBuilder warmupCosine(ScheduleType unit) {
        return new WarmupCosineBuilder(unit);
    }

    /** Builder for {@link OneCycleSchedule}; required: peakValue, totalPeriod (other settings: PyTorch's defaults). */
    public static OneCycleBuilder oneCycle(ScheduleType unit) {
        return new OneCycleBuilder(unit);
    }

    /** Builder for {@link WarmupStableDecaySchedule}; required: peakValue, warmupPeriod, stablePeriod, decayPeriod. */
    public static WsdBuilder wsd(ScheduleType unit) {
        return new WsdBuilder(unit);
    }

    /** Builder for {@link LinearSchedule}; required: startValue, endValue, period. */
    public static LinearBuilder linear(ScheduleType unit) {
        return new LinearBuilder(unit);
    }

    /** Builder for {@link LinearWarmupSchedule}; required: warmupPeriod, schedule (startValue 0 unless set). */
    public static WarmupBuilder warmup(ScheduleType unit) {
        return new WarmupBuilder(unit);
    }

    /** Builder for {@link SequentialSchedule}: {@code start(first).then(milestone, next)...build()}. */
    public static SequenceBuilder sequence(ScheduleType unit) {
        return new SequenceBuilder(unit);
    }
}
