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

import static io.github.dl4jcosine.examples.bench.LeafTimes.*;

/**
 * Cost of one {@code valueAt} call, for each of our schedules (leaves and compositions) and DL4J's own
 * as the baseline, at a small and at a huge iteration count, side by side with a bare {@code Math.cos}
 * call ({@link #mathCos}) on the argument a cosine over the whole int range has at that iteration
 * ({@code pi * iteration / Integer.MAX_VALUE}, as {@code CosineAnnealing} below computes). {@link #leaf}
 * measures every leaf in each time unit (iterations, whole epochs, fractional epochs) beside its floor
 * ({@link LeafTimes#floor}: the bare formula with PyTorch's operations, at the leaf's own cosine argument), and
 * {@link #run} the same over runs of consecutive updates. Run with {@code -prof gc} for the bytes allocated per
 * call; see docs/BENCHMARKS.md for the commands and the figures.
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
        return create(schedule, ScheduleType.ITERATION, 0);
    }

    /**
     * The schedule a {@code schedule} parameter names, periods up to the int range, in the unit {@code it} (leaves:
     * with {@code n} iterations per epoch, 0 for whole epochs or iterations; compositions and DL4J's ignore
     * {@code n}).
     */
    static ISchedule create(String schedule, ScheduleType it, int n) {
        int big = Integer.MAX_VALUE;
        switch (schedule) {
            case "CosineAnnealing": return new CosineAnnealingSchedule(it, 0.1, 0.0, big, n);
            case "CosineWarmRestarts_x1": return new CosineWarmRestartsSchedule(it, 0.1, 0.0, 100, 1.0, 1.0, 0, n);
            case "CosineWarmRestarts": return new CosineWarmRestartsSchedule(it, 0.1, 0.0, 100, 2.0, 1.0, 0, n);
            case "CosineWarmRestarts_x1.5": return new CosineWarmRestartsSchedule(it, 0.1, 0.0, 100, 1.5, 1.0, 0, n);
            // more cycles than the start table holds (12,640): the closed form; 10 is mid-cycle, not a restart
            case "CosineWarmRestarts_x1.001":
                return new CosineWarmRestartsSchedule(it, 0.1, 0.0, 7, 1.001, 1.0, 0, n);
            case "WarmupCosine": return new WarmupCosineSchedule(it, 0.1, 0.0, 0.0, 5, big, n);
            case "Linear": return new LinearSchedule(it, 0.0, 1.0, big, n);
            // phase one at 10, the last phase at 2^31 - 2
            case "OneCycle": return new OneCycleSchedule(it, 0.004, 0.1, 4e-7, big, 0.3, false, n);
            case "OneCycle_3phase": return new OneCycleSchedule(it, 0.004, 0.1, 4e-7, big, 0.3, true, n);
            // in the decay at both positions
            case "WSD": return new WarmupStableDecaySchedule(it, 0.1, 0.0, 0.0, 5, 0, big - 5, Shape.LINEAR,
                    Shape.COSINE, n);
            case "WSD_1-sqrt": return new WarmupStableDecaySchedule(it, 0.1, 0.0, 0.0, 5, 0, big - 5, Shape.LINEAR,
                    Shape.ONE_MINUS_SQRT, n);
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

    /**
     * One leaf at one position in one time unit, beside its floor. {@code variant=schedule}: its {@code valueAt};
     * {@code variant=floor}: {@link LeafTimes#floor} in that unit at that time, with the period that gives it the leaf's own
     * cosine argument; {@code variant=cos}: a bare {@code Math.cos} on that argument. JMH varies the last parameter
     * (by name) fastest, so a leaf and its floor run one after the other, same benchmark method and branch.
     */
    @State(Scope.Thread)
    public static class Leaf {

        @Param({"CosineAnnealing", "CosineWarmRestarts_x1", "CosineWarmRestarts", "CosineWarmRestarts_x1.5",
            "CosineWarmRestarts_x1.001", "WarmupCosine", "Linear", "OneCycle", "OneCycle_3phase", "WSD",
            "WSD_1-sqrt"})
        public String schedule;

        /** {@link Unit}: {@code iteration}, {@code epoch} (whole) or {@code fraction} (fractional epochs). */
        @Param({"iteration", "epoch", "fraction"})
        public String unit;

        /** The position ({@link Unit}): early, and near the end of the int range. */
        @Param({"10", "2147483645"})
        public int position;

        @Param({"schedule", "floor", "cos"})
        public String variant;

        int mode;
        ISchedule s;
        int iteration;
        int epoch;
        boolean fraction;
        int counter;
        int inEpoch;
        double perEpoch;
        double period;
        double argument;

        @Setup
        public void setUp() {
            Unit u = new Unit(unit);
            s = create(schedule, u.type, u.perEpoch);
            iteration = u.iteration(position);
            epoch = u.epoch(iteration, position);
            fraction = u.fraction();
            counter = u.counter(iteration, epoch);
            inEpoch = u.inEpoch(iteration, epoch);
            perEpoch = PER_EPOCH;
            double t = u.time(iteration, epoch);
            argument = cosineArgument(s, iteration, epoch, t);
            period = floorPeriod(t, argument);
            mode = variant.equals("schedule") ? 0 : variant.equals("floor") ? 1 : 2;
        }
    }

    /** {@code valueAt} of a leaf in a unit, or its floor, or the bare cosine ({@link Leaf}). */
    @Benchmark
    public double leaf(Leaf state) {
        switch (state.mode) {
            case 0: return state.s.valueAt(state.iteration, state.epoch);
            case 1: return floor(state.fraction, state.counter, state.epoch, state.inEpoch, state.perEpoch,
                    state.period);
            default: return Math.cos(state.argument);
        }
    }

    /**
     * One leaf schedule over {@value ValueAtBenchmark#RUN} consecutive updates, as training calls it, and the same-argument
     * floors and cosines: positions {@code first, first + 1, ..., first + RUN - 1} in the {@link Unit} (iterations:
     * iterations {@code first ...}, epoch {@code iteration / 390}; whole epochs: each update a new epoch; fractional
     * epochs: {@code RUN} consecutive iterations from the middle of epoch {@code first}, or from iteration
     * {@code first} when that is beyond the int range), every call a new position, so that a restart schedule crosses its cycle ends (100-update cycles:
     * about 10 per run at 10) and consecutive calls are independent, as in training. {@code variant=floor} runs
     * {@link LeafTimes#floor} and {@code variant=cos} a bare {@code Math.cos} over the arguments the schedule's own cosine gets
     * at those positions (for Linear and WSD_1-sqrt, which compute none, those of a cosine over the int range).
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

        /** {@link Unit}: {@code iteration}, {@code epoch} (whole) or {@code fraction} (fractional epochs). */
        @Param({"iteration", "epoch", "fraction"})
        public String unit;

        @Param({"schedule", "floor", "cos"})
        public String variant;

        int mode;
        boolean fraction;
        double perEpoch;
        ISchedule s;
        final int[] iterations = new int[RUN];
        final int[] epochs = new int[RUN];
        final int[] counters = new int[RUN];
        final int[] inEpochs = new int[RUN];
        final double[] periods = new double[RUN];
        final double[] arguments = new double[RUN];

        @Setup
        public void setUp() {
            Unit u = new Unit(unit);
            s = create(schedule, u.type, u.perEpoch);
            fraction = u.fraction();
            perEpoch = PER_EPOCH;
            for (int i = 0; i < RUN; i++) {
                iterations[i] = u.iteration(first) + i;
                epochs[i] = u.epoch(iterations[i], first + i);
                counters[i] = u.counter(iterations[i], epochs[i]);
                inEpochs[i] = u.inEpoch(iterations[i], epochs[i]);
                double t = u.time(iterations[i], epochs[i]);
                arguments[i] = cosineArgument(s, iterations[i], epochs[i], t);
                periods[i] = floorPeriod(t, arguments[i]);
            }
            mode = variant.equals("schedule") ? 0 : variant.equals("floor") ? 1 : 2;
        }
    }

    /** Updates per {@link #run} call. */
    static final int RUN = 1024;

    /**
     * {@code valueAt} over {@link #RUN} consecutive updates (or, with {@code variant=floor}, their floors, with
     * {@code variant=cos}, the bare cosines of those updates); the score is per update.
     */
    @Benchmark
    @OperationsPerInvocation(RUN)
    public void run(Run state, Blackhole blackhole) {
        int[] iterations = state.iterations;
        int[] epochs = state.epochs;
        if (state.mode == 2) {
            for (double x : state.arguments) {
                blackhole.consume(Math.cos(x));
            }
        } else if (state.mode == 1) {
            int[] counters = state.counters;
            int[] inEpochs = state.inEpochs;
            double[] periods = state.periods;
            boolean fraction = state.fraction;
            double perEpoch = state.perEpoch;
            for (int i = 0; i < RUN; i++) {
                blackhole.consume(floor(fraction, counters[i], epochs[i], inEpochs[i], perEpoch, periods[i]));
            }
        } else {
            ISchedule s = state.s;
            for (int i = 0; i < RUN; i++) {
                blackhole.consume(s.valueAt(iterations[i], epochs[i]));
            }
        }
    }

    /**
     * The floor ({@link LeafTimes#floor}) of a cosine schedule over the int range from 0.1 to 0, per unit, at the argument
     * that cosine has there. {@code form=pytorch}: PyTorch's operations; {@code form=reciprocal}: the
     * division {@code pi * t / period} replaced by a multiplication with a precomputed {@code pi / period} (not
     * PyTorch's bits: the argument's last bit differs at some positions). The counters become doubles without
     * {@code cvtsi2sd}, as in the library (see docs/BENCHMARKS.md 1.2). {@code unit=iteration} and
     * {@code unit=epoch} are the same code reading a different counter (one int converted).
     */
    @State(Scope.Thread)
    public static class Formula {

        @Param({"10", "2147483645"})
        public int iteration;

        @Param({"iteration", "epoch", "fraction"})
        public String unit;

        @Param({"pytorch", "reciprocal"})
        public String form;

        boolean reciprocal;
        boolean fraction;
        int counter;
        int epoch;
        int inEpoch;
        final double perEpoch = PER_EPOCH;
        final double period = Integer.MAX_VALUE;
        final double piOverPeriod = Math.PI / Integer.MAX_VALUE;

        @Setup
        public void setUp() {
            Unit u = new Unit(unit);
            reciprocal = form.equals("reciprocal");
            fraction = u.fraction();
            int it = u.iteration(iteration);
            epoch = u.epoch(it, iteration);
            counter = u.counter(it, epoch);
            inEpoch = u.inEpoch(it, epoch);
        }
    }

    /** The bare cosine formula ({@link Formula}): what a cosine leaf costs at the least. */
    @Benchmark
    public double formula(Formula f) {
        if (f.reciprocal) {
            double t = f.fraction ? exact(f.epoch) + exact(f.inEpoch) / f.perEpoch : exact(f.counter);
            return FLOOR_MIN + FLOOR_HALF * (1 + Math.cos(t * f.piOverPeriod));
        }
        return floor(f.fraction, f.counter, f.epoch, f.inEpoch, f.perEpoch, f.period);
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
