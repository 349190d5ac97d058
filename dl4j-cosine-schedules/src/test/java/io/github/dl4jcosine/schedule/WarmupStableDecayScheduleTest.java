package io.github.dl4jcosine.schedule;

import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Random;

import static io.github.dl4jcosine.schedule.ScheduleContract.assertRejected;
import static io.github.dl4jcosine.schedule.WarmupStableDecaySchedule.Shape.COSINE;
import static io.github.dl4jcosine.schedule.WarmupStableDecaySchedule.Shape.LINEAR;
import static io.github.dl4jcosine.schedule.WarmupStableDecaySchedule.Shape.ONE_MINUS_SQRT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

class WarmupStableDecayScheduleTest {

    private static final List<String> PROPERTIES = List.of("scheduleType", "peakValue", "warmupStartValue", "minValue",
            "warmupPeriod", "stablePeriod", "decayPeriod", "warmupShape", "decayShape", "iterationsPerEpoch");

    /**
     * Hugging Face transformers, src/transformers/optimization.py, {@code _get_wsd_scheduler_lambda} (commit
     * 005edacb6b5dabbf0843e92c6623de9e07ca6241, the version with warmup_type and decay_type), transcribed
     * line by line; {@code get_wsd_schedule} wraps it in {@code LambdaLR}, so the rate is {@code lr * lambda}:
     * <pre>
     * if current_step &lt; num_warmup_steps:
     *     progress = float(current_step) / float(max(1, num_warmup_steps))
     *     if warmup_type == "linear": factor = progress
     *     elif warmup_type == "cosine": factor = 0.5 * (1.0 - math.cos(math.pi * progress))
     *     elif warmup_type == "1-sqrt": factor = 1.0 - math.sqrt(1.0 - progress)
     *     factor = factor * (1.0 - min_lr_ratio) + min_lr_ratio
     *     return max(0.0, factor)
     * if current_step &lt; num_warmup_steps + num_stable_steps:
     *     return 1.0
     * if current_step &lt; num_warmup_steps + num_stable_steps + num_decay_steps:
     *     progress = float(current_step - num_warmup_steps - num_stable_steps) / float(max(1, num_decay_steps))
     *     if decay_type == "linear": factor = 1.0 - progress
     *     elif decay_type == "cosine": factor = 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress))
     *     elif decay_type == "1-sqrt": factor = 1.0 - math.sqrt(progress)
     *     factor = factor * (1.0 - min_lr_ratio) + min_lr_ratio
     *     return max(0.0, factor)
     * return min_lr_ratio
     * </pre>
     * with {@code num_cycles} at its default 0.5.
     */
    private static double huggingFace(double lr, double step, int warmup, int stable, int decay, String warmupType,
                                      String decayType, double minLrRatio) {
        double numCycles = 0.5;
        if (step < warmup) {
            double progress = step / Math.max(1, warmup);
            double factor = warmupType.equals("linear") ? progress
                    : warmupType.equals("cosine") ? 0.5 * (1.0 - Math.cos(Math.PI * progress))
                    : 1.0 - Math.sqrt(1.0 - progress);
            factor = factor * (1.0 - minLrRatio) + minLrRatio;
            return lr * Math.max(0.0, factor);
        }
        if (step < warmup + stable) {
            return lr * 1.0;
        }
        if (step < warmup + stable + decay) {
            double progress = (step - warmup - stable) / Math.max(1, decay);
            double factor = decayType.equals("linear") ? 1.0 - progress
                    : decayType.equals("cosine") ? 0.5 * (1.0 + Math.cos(Math.PI * numCycles * 2.0 * progress))
                    : 1.0 - Math.sqrt(progress);
            factor = factor * (1.0 - minLrRatio) + minLrRatio;
            return lr * Math.max(0.0, factor);
        }
        return lr * minLrRatio;
    }

    private static String hfName(Shape shape) {
        return shape == LINEAR ? "linear" : shape == COSINE ? "cosine" : "1-sqrt";
    }

    /**
     * Every pair of shapes, several period layouts (zeros included), min_lr_ratio 0, 0.1 and 0.5, every update
     * up to 3 past the end; Hugging Face warms up from min_lr_ratio x lr, so warmupStartValue = minValue.
     */
    @Test
    void matchesHuggingFaceForEveryShape() {
        int[][] layouts = {{5, 10, 5}, {0, 7, 4}, {3, 0, 6}, {4, 5, 0}, {1, 1, 1}, {10, 0, 0}, {0, 0, 9}, {17, 40, 23}};
        int rows = 0;
        double maxRelative = 0;
        for (Shape up : Shape.values()) {
            for (Shape down : Shape.values()) {
                for (int[] l : layouts) {
                    for (double ratio : new double[] {0.0, 0.1, 0.5}) {
                        double lr = 3e-4;
                        WarmupStableDecaySchedule s = new WarmupStableDecaySchedule(ITERATION, lr, ratio * lr,
                                ratio * lr, l[0], l[1], l[2], up, down);
                        for (int t = 0; t <= l[0] + l[1] + l[2] + 3; t++) {
                            double expected = huggingFace(lr, t, l[0], l[1], l[2], hfName(up), hfName(down), ratio);
                            double actual = s.valueAt(t, 0);
                            assertEquals(expected, actual, 1e-12 * expected + 1e-300, s + " at " + t);
                            if (expected != 0) {
                                maxRelative = Math.max(maxRelative, Math.abs(actual - expected) / expected);
                            }
                            rows++;
                        }
                    }
                }
            }
        }
        System.out.printf("Hugging Face get_wsd_schedule: %d rows, max relative deviation %.3g%n", rows, maxRelative);
    }

    /**
     * Fractional epochs: HF's lambda is plain arithmetic on {@code current_step}, so at t = epoch + i / n it is
     * the same formula at a fractional step; 4 updates per epoch, W = 2, S = 3, D = 4 epochs, COSINE both ways.
     */
    @Test
    void fractionalEpochsFollowTheSameFormula() {
        WarmupStableDecaySchedule s = new WarmupStableDecaySchedule(EPOCH, 0.1, 0.01, 0.01, 2, 3, 4, COSINE, COSINE, 4);
        for (int iteration = 0; iteration < 44; iteration++) {
            int epoch = iteration / 4;
            double t = epoch + (iteration % 4) / 4.0;
            assertEquals(huggingFace(0.1, t, 2, 3, 4, "cosine", "cosine", 0.1), s.valueAt(iteration, epoch), 1e-15,
                    "iteration " + iteration);
        }
    }

    /**
     * Hand derivation: peak 1, warmup from 0, minValue 0.1, W = 4, S = 2, D = 4 (decay from 6 to 10).
     * Warmup: LINEAR t = 1: 0.25; COSINE t = 1: (1 - cos(pi / 4)) / 2 = 0.14644660940672624, t = 2: 0.5;
     * ONE_MINUS_SQRT t = 3: 1 - sqrt(1 - 0.75) = 0.5. Stable at 4 and 5: 1. The first decay update (6) is still 1.
     * t = 7 (p = 0.25): LINEAR 0.1 + 0.9 * 0.75 = 0.775; COSINE 0.1 + 0.9 * (1 + cos(pi / 4)) / 2 =
     * 0.8681980515339464; ONE_MINUS_SQRT 0.1 + 0.9 * (1 - 0.5) = 0.55. t >= 10: 0.1.
     */
    @ParameterizedTest
    @CsvSource({"LINEAR, LINEAR, 1, 0.25", "COSINE, LINEAR, 1, 0.14644660940672624", "COSINE, LINEAR, 2, 0.5",
        "ONE_MINUS_SQRT, LINEAR, 3, 0.5", "LINEAR, LINEAR, 4, 1.0", "LINEAR, COSINE, 5, 1.0", "LINEAR, COSINE, 6, 1.0",
        "LINEAR, LINEAR, 7, 0.775", "LINEAR, COSINE, 7, 0.8681980515339464", "LINEAR, ONE_MINUS_SQRT, 7, 0.55",
        "LINEAR, ONE_MINUS_SQRT, 10, 0.1", "COSINE, COSINE, 2147483647, 0.1", "LINEAR, LINEAR, 0, 0.0"})
    void handDerived(Shape up, Shape down, int t, double expected) {
        assertEquals(expected, new WarmupStableDecaySchedule(ITERATION, 1.0, 0.0, 0.1, 4, 2, 4, up, down)
                .valueAt(t, 0), 1e-15);
        assertEquals(expected, new WarmupStableDecaySchedule(EPOCH, 1.0, 0.0, 0.1, 4, 2, 4, up, down)
                .valueAt(7, t), 1e-15);
    }

    /** No warmup starts at the peak; no decay drops to minValue right after the stable phase (as in HF). */
    @Test
    void zeroPeriods() {
        WarmupStableDecaySchedule noWarmup = Schedules.wsd(ITERATION, 0.1, 0, 5, 5);
        assertEquals(0.1, noWarmup.valueAt(0, 0), 0.0);
        WarmupStableDecaySchedule noDecay = new WarmupStableDecaySchedule(ITERATION, 0.1, 0.0, 0.01, 2, 3, 0,
                LINEAR, COSINE);
        assertEquals(0.1, noDecay.valueAt(4, 0), 0.0);
        assertEquals(0.01, noDecay.valueAt(5, 0), 0.0);
    }

    @Test
    void invariantsOverRandomParameters() {
        Random random = new Random(20261129L);
        for (int trial = 0; trial < 300; trial++) {
            Shape up = Shape.values()[random.nextInt(3)];
            Shape down = Shape.values()[random.nextInt(3)];
            double peak = 0.01 + random.nextDouble();
            double start = random.nextDouble() * peak;
            double min = random.nextDouble() * peak;
            int w = random.nextInt(30);
            int st = random.nextInt(30);
            int d = 1 + random.nextInt(60);
            WarmupStableDecaySchedule s = new WarmupStableDecaySchedule(ITERATION, peak, start, min, w, st, d, up, down);
            assertEquals(peak, s.valueAt(w, 0), 0.0, s + " reaches the peak exactly at the end of the warmup");
            assertEquals(peak, s.valueAt(w + st, 0), 0.0, s + " is still at the peak at the first decay update");
            double previous = s.valueAt(0, 0);
            for (int t = 1; t <= w + st + d + 3; t++) {
                double v = s.valueAt(t, 0);
                assertTrue(v >= Math.min(start, min) - 1e-15 && v <= peak + 1e-15, s + " out of bounds at " + t);
                assertTrue(v <= s.largestValue() * (1 + 1e-15), s + " above largestValue() at " + t);
                if (t <= w) {
                    assertTrue(v >= previous - 1e-15, s + " falls in the warmup at " + t);
                } else {
                    assertTrue(v <= previous + 1e-15, s + " rises after the warmup at " + t);
                }
                previous = v;
            }
            assertEquals(min, s.valueAt(w + st + d, 0), 0.0);
        }
    }

    @Test
    void contract() throws Exception {
        WarmupStableDecaySchedule s = new WarmupStableDecaySchedule(EPOCH, 0.1, 0.001, 1e-5, 5, 60, 25, LINEAR,
                ONE_MINUS_SQRT, 390);
        ScheduleContract.check(s, PROPERTIES, List.of(
                new WarmupStableDecaySchedule(ITERATION, 0.1, 0.001, 1e-5, 5, 60, 25, LINEAR, ONE_MINUS_SQRT),
                new WarmupStableDecaySchedule(EPOCH, 0.2, 0.001, 1e-5, 5, 60, 25, LINEAR, ONE_MINUS_SQRT, 390),
                new WarmupStableDecaySchedule(EPOCH, 0.1, 0.002, 1e-5, 5, 60, 25, LINEAR, ONE_MINUS_SQRT, 390),
                new WarmupStableDecaySchedule(EPOCH, 0.1, 0.001, 2e-5, 5, 60, 25, LINEAR, ONE_MINUS_SQRT, 390),
                new WarmupStableDecaySchedule(EPOCH, 0.1, 0.001, 1e-5, 6, 60, 25, LINEAR, ONE_MINUS_SQRT, 390),
                new WarmupStableDecaySchedule(EPOCH, 0.1, 0.001, 1e-5, 5, 61, 25, LINEAR, ONE_MINUS_SQRT, 390),
                new WarmupStableDecaySchedule(EPOCH, 0.1, 0.001, 1e-5, 5, 60, 26, LINEAR, ONE_MINUS_SQRT, 390),
                new WarmupStableDecaySchedule(EPOCH, 0.1, 0.001, 1e-5, 5, 60, 25, COSINE, ONE_MINUS_SQRT, 390),
                new WarmupStableDecaySchedule(EPOCH, 0.1, 0.001, 1e-5, 5, 60, 25, LINEAR, COSINE, 390),
                new WarmupStableDecaySchedule(EPOCH, 0.1, 0.001, 1e-5, 5, 60, 25, LINEAR, ONE_MINUS_SQRT, 391)));
    }

    @Test
    void toStringNamesEveryProperty() {
        assertEquals("WarmupStableDecaySchedule(peakValue=0.1, warmupStartValue=0.0, minValue=0.0, warmupPeriod=5, "
                + "stablePeriod=60, decayPeriod=25, warmupShape=LINEAR, decayShape=COSINE, scheduleType=EPOCH)",
                Schedules.wsd(EPOCH, 0.1, 5, 60, 25).toString());
    }

    @Test
    void rejectsInvalidArguments() {
        assertRejected("scheduleType (null) must not be null",
                () -> new WarmupStableDecaySchedule(null, 0.1, 0.0, 0.0, 5, 5, 5, LINEAR, COSINE));
        assertRejected("peakValue (NaN) must be finite",
                () -> new WarmupStableDecaySchedule(ITERATION, Double.NaN, 0.0, 0.0, 5, 5, 5, LINEAR, COSINE));
        assertRejected("peakValue (-0.1) must be >= 0",
                () -> new WarmupStableDecaySchedule(ITERATION, -0.1, 0.0, 0.0, 5, 5, 5, LINEAR, COSINE));
        assertRejected("warmupStartValue (-1.0E-4) must be >= 0",
                () -> new WarmupStableDecaySchedule(ITERATION, 0.1, -1e-4, 0.0, 5, 5, 5, LINEAR, COSINE));
        assertRejected("warmupStartValue (Infinity) must be finite", () -> new WarmupStableDecaySchedule(ITERATION,
                0.1, Double.POSITIVE_INFINITY, 0.0, 5, 5, 5, LINEAR, COSINE));
        assertRejected("minValue (NaN) must be finite",
                () -> new WarmupStableDecaySchedule(ITERATION, 0.1, 0.0, Double.NaN, 5, 5, 5, LINEAR, COSINE));
        assertRejected("minValue (-0.01) must be >= 0",
                () -> new WarmupStableDecaySchedule(ITERATION, 0.1, 0.0, -0.01, 5, 5, 5, LINEAR, COSINE));
        assertRejected("minValue (0.2) must be <= peakValue (0.1)",
                () -> new WarmupStableDecaySchedule(ITERATION, 0.1, 0.0, 0.2, 5, 5, 5, LINEAR, COSINE));
        assertRejected("warmupPeriod (-1) must be >= 0",
                () -> new WarmupStableDecaySchedule(ITERATION, 0.1, 0.0, 0.0, -1, 5, 5, LINEAR, COSINE));
        assertRejected("stablePeriod (-2) must be >= 0",
                () -> new WarmupStableDecaySchedule(ITERATION, 0.1, 0.0, 0.0, 5, -2, 5, LINEAR, COSINE));
        assertRejected("decayPeriod (-3) must be >= 0",
                () -> new WarmupStableDecaySchedule(ITERATION, 0.1, 0.0, 0.0, 5, 5, -3, LINEAR, COSINE));
        assertRejected("warmupPeriod (0), stablePeriod (0) and decayPeriod (0) must not all be 0",
                () -> new WarmupStableDecaySchedule(ITERATION, 0.1, 0.0, 0.0, 0, 0, 0, LINEAR, COSINE));
        assertRejected("warmupShape (null) must not be null",
                () -> new WarmupStableDecaySchedule(ITERATION, 0.1, 0.0, 0.0, 5, 5, 5, null, COSINE));
        assertRejected("decayShape (null) must not be null",
                () -> new WarmupStableDecaySchedule(ITERATION, 0.1, 0.0, 0.0, 5, 5, 5, LINEAR, null));
        assertRejected("iterationsPerEpoch (-1) must be >= 0",
                () -> new WarmupStableDecaySchedule(EPOCH, 0.1, 0.0, 0.0, 5, 5, 5, LINEAR, COSINE, -1));
        assertRejected("iterationsPerEpoch (3) must be 0 with scheduleType=ITERATION",
                () -> new WarmupStableDecaySchedule(ITERATION, 0.1, 0.0, 0.0, 5, 5, 5, LINEAR, COSINE, 3));
        WarmupStableDecaySchedule s = Schedules.wsd(ITERATION, 0.1, 5, 5, 5);
        assertRejected("iteration (-7) must be >= 0", () -> s.valueAt(-7, 0));
        assertRejected("epoch (-1) must be >= 0", () -> s.valueAt(0, -1));
    }
}
