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
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

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
         * The argument of the cosine that {@code s} evaluates at {@code iteration} (1 for schedules without one
         * of their own: Linear, WSD_1-sqrt, the compositions and DL4J's), for {@code variant=cos}.
         */
        double argument;

        @Setup
        public void setUp() {
            ScheduleType it = ScheduleType.ITERATION;
            int big = Integer.MAX_VALUE;
            switch (schedule) {
                case "CosineAnnealing": s = new CosineAnnealingSchedule(it, 0.1, 0.0, big); break;
                case "CosineWarmRestarts_x1": s = new CosineWarmRestartsSchedule(it, 0.1, 0.0, 100, 1.0); break;
                case "CosineWarmRestarts": s = new CosineWarmRestartsSchedule(it, 0.1, 0.0, 100, 2.0); break;
                case "CosineWarmRestarts_x1.5": s = new CosineWarmRestartsSchedule(it, 0.1, 0.0, 100, 1.5); break;
                // more cycles than the start table holds (12,640): the closed form; 10 is mid-cycle, not a restart
                case "CosineWarmRestarts_x1.001": s = new CosineWarmRestartsSchedule(it, 0.1, 0.0, 7, 1.001); break;
                case "WarmupCosine": s = new WarmupCosineSchedule(it, 0.1, 0.0, 0.0, 5, big); break;
                case "Linear": s = new LinearSchedule(it, 0.0, 1.0, big); break;
                // phase one at 10, the last phase at 2^31 - 2
                case "OneCycle": s = new OneCycleSchedule(it, 0.004, 0.1, 4e-7, big, 0.3, false); break;
                case "OneCycle_3phase": s = new OneCycleSchedule(it, 0.004, 0.1, 4e-7, big, 0.3, true); break;
                // in the decay at both positions
                case "WSD": s = new WarmupStableDecaySchedule(it, 0.1, 0.0, 0.0, 5, 0, big - 5, Shape.LINEAR,
                        Shape.COSINE); break;
                case "WSD_1-sqrt": s = new WarmupStableDecaySchedule(it, 0.1, 0.0, 0.0, 5, 0, big - 5, Shape.LINEAR,
                        Shape.ONE_MINUS_SQRT); break;
                case "LinearWarmup-Cosine":
                    s = new LinearWarmupSchedule(it, 5, 0.0, new CosineAnnealingSchedule(it, 0.1, 0.0, big - 5)); break;
                case "Sequential-Linear-Cosine":
                    s = new SequentialSchedule(it, Arrays.asList(new LinearSchedule(it, 0.0, 0.1, 5),
                            new CosineAnnealingSchedule(it, 0.1, 0.0, big - 5)), new int[] {5}); break;
                case "Product-Linear-Cosine":
                    s = new ProductSchedule(new LinearSchedule(it, 0.01, 1.0, 5),
                            new CosineAnnealingSchedule(it, 0.1, 0.0, big));
                    break;
                case "Nested":
                    s = new LinearWarmupSchedule(it, 5, 0.0, new SequentialSchedule(it, Arrays.asList(
                            new CosineWarmRestartsSchedule(it, 0.1, 0.0, 100, 2.0, 0.8, 3, 0),
                            new ProductSchedule(new CosineAnnealingSchedule(it, 0.05, 0.0, big - 1000),
                                    new StepSchedule(it, 1.0, 0.5, 1000))), new int[] {700})); break;
                case "dl4j.Exponential": s = new ExponentialSchedule(it, 0.1, 0.99999); break;
                case "dl4j.Step": s = new StepSchedule(it, 0.1, 0.5, 1000); break;
                case "dl4j.Map":
                    s = new MapSchedule.Builder(it).add(0, 0.1).add(1000, 0.01).add(100000, 0.001).build(); break;
                case "dl4j.Cycle": s = new CycleSchedule(it, 0.1, 10000); break;
                default: throw new IllegalArgumentException(schedule);
            }
            epoch = iteration / 390;
            argument = cosineArgument(s, iteration);
            cos = variant.equals("cos");
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
        return 1.0;
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
