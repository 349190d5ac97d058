package io.github.dl4jcosine.examples.bench;

import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.LinearWarmupSchedule;
import io.github.dl4jcosine.schedule.PlateauSchedule;
import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Cost of {@code PlateauSchedule.valueAt} with 40 reductions made, side by side with its base's {@code valueAt} on
 * the same updates ({@code variant=base} and {@code variant=plateau}; JMH varies the last parameter fastest, so
 * the two run one after the other). {@code position=latest}: 1,024 consecutive updates after the last reduction,
 * as training asks (every report lies in the past of the next update); {@code position=spread}: 1,024 updates
 * spread over the whole run, every reduction's stretch included, as a preview or a chart asks (the lookup then
 * searches the reductions). See docs/BENCHMARKS.md for the command and the figures.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlateauBenchmark {

    /** Updates per {@link #run} call. */
    static final int RUN = 1024;
    /** Reductions made before measuring. */
    static final int REDUCTIONS = 40;
    /** Updates between two reports. */
    static final int EVERY = 1000;

    @State(Scope.Thread)
    public static class Run {

        /**
         * The base: a cosine over the int range, a warmup + cosine (our {@code WarmupCosineSchedule}), a
         * {@code LinearWarmupSchedule} around DL4J's {@code FixedSchedule} (the usual warmup-then-plateau), and
         * DL4J's {@code FixedSchedule} alone (PyTorch's setting; its valueAt is a field read).
         */
        @Param({"CosineAnnealing", "WarmupCosine", "Warmup-Fixed", "dl4j.Fixed"})
        public String base;

        @Param({"latest", "spread"})
        public String position;

        @Param({"base", "plateau"})
        public String variant;

        ISchedule s;
        final int[] iterations = new int[RUN];
        final int[] epochs = new int[RUN];

        @Setup
        public void setUp() {
            ISchedule b = base(base);
            PlateauSchedule plateau = PlateauSchedule.builder(b).patience(0).factor(0.9).eps(0).build();
            // the first report sets best, each later one is worse: a reduction at every report from the second on
            for (int r = 0; r <= REDUCTIONS; r++) {
                plateau.report(EVERY * (r + 1), r);
            }
            if (plateau.getState().reductionCount() != REDUCTIONS) {
                throw new IllegalStateException(plateau.getState().toString());
            }
            int last = EVERY * (REDUCTIONS + 1);
            for (int i = 0; i < RUN; i++) {
                iterations[i] = position.equals("latest") ? last + 10 + i : (int) ((long) i * (last + EVERY) / RUN);
                epochs[i] = iterations[i] / 390;
            }
            s = variant.equals("plateau") ? plateau : b;
        }
    }

    static ISchedule base(String name) {
        ScheduleType it = ScheduleType.ITERATION;
        switch (name) {
            case "CosineAnnealing": return new CosineAnnealingSchedule(it, 0.1, 0.0, Integer.MAX_VALUE);
            case "WarmupCosine": return new WarmupCosineSchedule(it, 0.1, 0.0, 0.0, 5, Integer.MAX_VALUE);
            case "Warmup-Fixed": return new LinearWarmupSchedule(it, 500, 0.0, new FixedSchedule(0.1));
            case "dl4j.Fixed": return new FixedSchedule(0.1);
            default: throw new IllegalArgumentException(name);
        }
    }

    /** {@code valueAt} over {@link #RUN} updates; the score is per update. */
    @Benchmark
    @OperationsPerInvocation(RUN)
    public void run(Run state, Blackhole blackhole) {
        ISchedule s = state.s;
        int[] iterations = state.iterations;
        int[] epochs = state.epochs;
        for (int i = 0; i < RUN; i++) {
            blackhole.consume(s.valueAt(iterations[i], epochs[i]));
        }
    }
}
