package io.github.dl4jcosine.examples.bench;

import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import io.github.dl4jcosine.schedule.LinearSchedule;
import io.github.dl4jcosine.schedule.LinearWarmupSchedule;
import io.github.dl4jcosine.schedule.OneCycleSchedule;
import io.github.dl4jcosine.schedule.ProductSchedule;
import io.github.dl4jcosine.schedule.SequentialSchedule;
import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule;
import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule.Shape;
import org.nd4j.linalg.schedule.CycleSchedule;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one {@code valueAt} call, for each of our schedules (leaves and compositions) and DL4J's own
 * as the baseline, at a small and at a huge iteration count, side by side with a bare {@code Math.cos}
 * call ({@link #mathCos}) on the argument a cosine over the whole int range has at that iteration
 * ({@code pi * iteration / Integer.MAX_VALUE}, as {@code CosineAnnealing} below computes). Run with
 * {@code -prof gc} for the bytes allocated per call; see docs/BENCHMARKS.md for the command and the
 * figures.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ValueAtBenchmark {

    /** One schedule at one position. */
    @State(Scope.Thread)
    public static class Schedule {

        @Param({"CosineAnnealing", "CosineWarmRestarts_x1", "CosineWarmRestarts", "CosineWarmRestarts_x1.5",
            "CosineWarmRestarts_x1.001", "WarmupCosine", "Linear", "OneCycle", "OneCycle_3phase", "WSD",
            "WSD_1-sqrt",
            "LinearWarmup-Cosine", "Sequential-Linear-Cosine", "Product-Linear-Cosine", "Nested",
            "dl4j.Exponential", "dl4j.Step", "dl4j.Map", "dl4j.Cycle"})
        public String schedule;

        @Param({"10", "2147483645"})
        public int iteration;

        /**
         * {@code schedule}: its {@code valueAt}; {@code cos}: a bare {@code Math.cos} on the argument the
         * schedule's own cosine gets at that position, measured right after it (JMH varies the last parameter,
         * by name, fastest), with the same benchmark code and branch, so that each schedule is compared with the
         * cosine it actually computes ({@code Math.cos} is cheaper near 0 than near pi) under the same load.
         */
        @Param({"schedule", "cos"})
        public String variant;

        boolean cos;
        ISchedule s;
        int epoch;
        /**
         * The argument of the cosine that {@code s} evaluates at {@code iteration} (for schedules without one of
         * their own, Linear, WSD_1-sqrt, the compositions and DL4J's, that of a cosine over the int range), for
         * {@code variant=cos}.
         */
        double argument;

        @Setup
        public void setUp() {
            s = create(schedule);
            epoch = iteration / 390;
            argument = cosineArgument(s, iteration);
            cos = variant.equals("cos");
        }
    }

    /** The schedule a {@code schedule} parameter names: ITERATION time, periods up to the int range. */
    static ISchedule create(String schedule) {
        ScheduleType it = ScheduleType.ITERATION;
        int big = Integer.MAX_VALUE;
        switch (schedule) {
            case "CosineAnnealing": return new CosineAnnealingSchedule(it, 0.1, 0.0, big);
            case "CosineWarmRestarts_x1": return new CosineWarmRestartsSchedule(it, 0.1, 0.0, 100, 1.0);
            case "CosineWarmRestarts": return new CosineWarmRestartsSchedule(it, 0.1, 0.0, 100, 2.0);
            case "CosineWarmRestarts_x1.5": return new CosineWarmRestartsSchedule(it, 0.1, 0.0, 100, 1.5);
            // more cycles than the start table holds (12,640): the closed form; 10 is mid-cycle, not a restart
            case "CosineWarmRestarts_x1.001": return new CosineWarmRestartsSchedule(it, 0.1, 0.0, 7, 1.001);
            case "WarmupCosine": return new WarmupCosineSchedule(it, 0.1, 0.0, 0.0, 5, big);
            case "Linear": return new LinearSchedule(it, 0.0, 1.0, big);
            // phase one at 10, the last phase at 2^31 - 2
            case "OneCycle": return new OneCycleSchedule(it, 0.004, 0.1, 4e-7, big, 0.3, false);
            case "OneCycle_3phase": return new OneCycleSchedule(it, 0.004, 0.1, 4e-7, big, 0.3, true);
            // in the decay at both positions
            case "WSD": return new WarmupStableDecaySchedule(it, 0.1, 0.0, 0.0, 5, 0, big - 5, Shape.LINEAR,
                    Shape.COSINE);
            case "WSD_1-sqrt": return new WarmupStableDecaySchedule(it, 0.1, 0.0, 0.0, 5, 0, big - 5, Shape.LINEAR,
                    Shape.ONE_MINUS_SQRT);
            case "LinearWarmup-Cosine":
                return new LinearWarmupSchedule(it, 5, 0.0, new CosineAnnealingSchedule(it, 0.1, 0.0, big - 5));
            case "Sequential-Linear-Cosine":
                return new SequentialSchedule(it, Arrays.asList(new LinearSchedule(it, 0.0, 0.1, 5),
                        new CosineAnnealingSchedule(it, 0.1, 0.0, big - 5)), new int[] {5});
            case "Product-Linear-Cosine":
                return new ProductSchedule(new LinearSchedule(it, 0.01, 1.0, 5),
                        new CosineAnnealingSchedule(it, 0.1, 0.0, big));
            case "Nested":
                return new LinearWarmupSchedule(it, 5, 0.0, new SequentialSchedule(it, Arrays.asList(
                        new CosineWarmRestartsSchedule(it, 0.1, 0.0, 100, 2.0, 0.8, 3, 0),
                        new ProductSchedule(new CosineAnnealingSchedule(it, 0.05, 0.0, big - 1000),
                                new StepSchedule(it, 1.0, 0.5, 1000))), new int[] {700}));
            case "dl4j.Exponential": return new ExponentialSchedule(it, 0.1, 0.99999);
            case "dl4j.Step": return new StepSchedule(it, 0.1, 0.5, 1000);
            case "dl4j.Map":
                return new MapSchedule.Builder(it).add(0, 0.1).add(1000, 0.01).add(100000, 0.001).build();
            case "dl4j.Cycle": return new CycleSchedule(it, 0.1, 10000);
            default: throw new IllegalArgumentException(schedule);
        }
    }

    /** What the schedule passes to {@code Math.cos} at {@code iteration} (ITERATION time), from its public API. */
    static double cosineArgument(ISchedule s, int iteration) {
        double t = iteration;
        if (s instanceof CosineAnnealingSchedule) {
            return Math.PI * t / ((CosineAnnealingSchedule) s).getPeriod();
        }
        if (s instanceof CosineWarmRestartsSchedule) {
            CosineWarmRestartsSchedule r = (CosineWarmRestartsSchedule) s;
            int k = r.cycleIndex(iteration, 0);
            return Math.PI * (t - r.cycleStart(k)) / r.cycleLength(k);
        }
        if (s instanceof WarmupCosineSchedule) {
            WarmupCosineSchedule w = (WarmupCosineSchedule) s;
            return Math.PI * (t - w.getWarmupPeriod()) / ((double) w.getTotalPeriod() - w.getWarmupPeriod());
        }
        if (s instanceof OneCycleSchedule) {
            OneCycleSchedule o = (OneCycleSchedule) s;
            double end1 = o.getPeakFraction() * o.getTotalPeriod() - 1;
            double end2 = o.isThreePhase() ? 2 * o.getPeakFraction() * o.getTotalPeriod() - 2 : end1;
            double end = o.getTotalPeriod() - 1.0;
            return Math.PI * (t <= end1 ? t / end1 : t <= end2 ? (t - end1) / (end2 - end1) : (t - end2) / (end - end2));
        }
        if (s instanceof WarmupStableDecaySchedule
                && ((WarmupStableDecaySchedule) s).getDecayShape() == Shape.COSINE) {
            WarmupStableDecaySchedule w = (WarmupStableDecaySchedule) s;
            double start = (double) w.getWarmupPeriod() + w.getStablePeriod();
            return Math.PI * ((t - start) / w.getDecayPeriod());
        }
        // no cosine of its own: the cosine a schedule over the int range computes there
        return Math.PI * t / Integer.MAX_VALUE;
    }

    /**
     * One leaf schedule over {@value ValueAtBenchmark#RUN} consecutive updates, as training calls it, and the same-argument
     * cosines: {@code first, first + 1, ..., first + RUN - 1} (epoch {@code iteration / 390}), every call a new
     * position, so that a restart schedule crosses its cycle ends (100-update cycles: about 10 per run at 10)
     * and consecutive calls are independent, as in training. {@code variant=cos} runs a bare {@code Math.cos}
     * over the arguments the schedule's own cosine gets at those positions (for Linear and WSD_1-sqrt, which
     * compute none, those of a cosine over the int range).
     */
    @State(Scope.Thread)
    public static class Run {

        @Param({"CosineAnnealing", "CosineWarmRestarts_x1", "CosineWarmRestarts", "CosineWarmRestarts_x1.5",
            "CosineWarmRestarts_x1.001", "WarmupCosine", "Linear", "OneCycle", "OneCycle_3phase", "WSD",
            "WSD_1-sqrt"})
        public String schedule;

        /** The first update: early, and the last {@code RUN} before 2^31 - 2 (a one-cycle's final update). */
        @Param({"10", "2147482622"})
        public int first;

        @Param({"schedule", "cos"})
        public String variant;

        boolean cos;
        ISchedule s;
        final int[] iterations = new int[RUN];
        final int[] epochs = new int[RUN];
        final double[] arguments = new double[RUN];

        @Setup
        public void setUp() {
            s = create(schedule);
            for (int i = 0; i < RUN; i++) {
                iterations[i] = first + i;
                epochs[i] = iterations[i] / 390;
                arguments[i] = cosineArgument(s, iterations[i]);
            }
            cos = variant.equals("cos");
        }
    }

    /** Updates per {@link #run} call. */
    static final int RUN = 1024;

    /**
     * {@code valueAt} over {@link #RUN} consecutive updates (or, with {@code variant=cos}, the bare cosines
     * of those updates); the score is per update.
     */
    @Benchmark
    @OperationsPerInvocation(RUN)
    public void run(Run state, Blackhole blackhole) {
        if (state.cos) {
            for (double x : state.arguments) {
                blackhole.consume(Math.cos(x));
            }
        } else {
            ISchedule s = state.s;
            int[] iterations = state.iterations;
            int[] epochs = state.epochs;
            for (int i = 0; i < RUN; i++) {
                blackhole.consume(s.valueAt(iterations[i], epochs[i]));
            }
        }
    }

    /**
     * The floor: the bare formula of a cosine schedule over the int range from 0.1 to 0, as a schedule computes it
     * from DL4J's int counter, with nothing else (no argument checks, no unit, no end of the schedule).
     * {@code form=pytorch}: {@code min + half * (1 + cos(pi * t / period))}, PyTorch's operations;
     * {@code form=reciprocal}: the division replaced by a multiplication with a precomputed {@code pi / period}
     * (not PyTorch's bits: the argument's last bit differs at some positions). The counter becomes a double
     * without {@code cvtsi2sd}, as in the library (see docs/BENCHMARKS.md 1.1).
     */
    @State(Scope.Thread)
    public static class Formula {

        @Param({"10", "2147483645"})
        public int iteration;

        @Param({"pytorch", "reciprocal"})
        public String form;

        boolean reciprocal;
        final double min = 0.0;
        final double half = 0.05;
        final double period = Integer.MAX_VALUE;
        final double piOverPeriod = Math.PI / Integer.MAX_VALUE;

        @Setup
        public void setUp() {
            reciprocal = form.equals("reciprocal");
        }
    }

    /** The bare cosine formula ({@link Formula}): what a cosine leaf costs at the least. */
    @Benchmark
    public double formula(Formula f) {
        // (double) iteration, bit for bit, without the int-to-double instruction (ScheduleTime.exact in the library)
        double t = Double.longBitsToDouble(Double.doubleToRawLongBits(0x1p52) | f.iteration) - 0x1p52;
        return f.reciprocal ? f.min + f.half * (1 + Math.cos(t * f.piOverPeriod))
                : f.min + f.half * (1 + Math.cos(Math.PI * t / f.period));
    }

    /** The argument of a bare {@code Math.cos}: what a cosine over the int range computes at {@code iteration}. */
    @State(Scope.Thread)
    public static class Cos {

        @Param({"10", "2147483645"})
        public int iteration;

        double x;

        @Setup
        public void setUp() {
            x = Math.PI * iteration / Integer.MAX_VALUE;
        }
    }

    /** {@code valueAt} of the schedule, or with {@code variant=cos} the bare cosine it computes. */
    @Benchmark
    public double valueAt(Schedule state) {
        return state.cos ? Math.cos(state.argument) : state.s.valueAt(state.iteration, state.epoch);
    }

    /** The baseline: one {@code Math.cos} call, nothing else. */
    @Benchmark
    public double mathCos(Cos state) {
        return Math.cos(state.x);
    }

}
