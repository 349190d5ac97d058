package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Random;

import static io.github.dl4jcosine.schedule.ScheduleContract.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

class OneCycleScheduleTest {

    private static final List<String> PROPERTIES = List.of("scheduleType", "initialValue", "peakValue", "finalValue",
            "totalPeriod", "peakFraction", "threePhase", "iterationsPerEpoch");

    /**
     * Hand derivation, two phases, 0.04 -> 1 -> 0, T = 15, peakFraction 0.2: the first phase ends at
     * 0.2 * 15 - 1 = 2 (0.2 * 15 is exactly 3.0 in double), the second at T - 1 = 14. t = 1 is halfway up:
     * (0.04 + 1) / 2 = 0.52; t = 2 the peak; t = 5 a quarter of the way down (3 of 12):
     * (1 + cos(pi / 4)) / 2 = 0.8535533905932737; t = 8 halfway down: 0.5; t >= 14: 0, held.
     */
    @ParameterizedTest
    @CsvSource({"1, 0.52", "2, 1.0", "5, 0.8535533905932737", "8, 0.5", "14, 0.0", "15, 0.0", "1000, 0.0",
        "2147483647, 0.0"})
    void handDerivedTwoPhases(int t, double expected) {
        assertEquals(expected, new OneCycleSchedule(ITERATION, 0.04, 1.0, 0.0, 15, 0.2, false).valueAt(t, 0), 1e-15);
        // whole epochs: the same values, one per epoch, whatever the iteration
        assertEquals(expected, new OneCycleSchedule(EPOCH, 0.04, 1.0, 0.0, 15, 0.2, false).valueAt(123, t), 1e-15);
    }

    /**
     * PyTorch starts at max_lr + (initial - max_lr), which is 0.040000000000000036 for 0.04 and 1.0 (its
     * {@code _annealing_cos} at pct 0): we return the same, not 0.04, to stay identical to PyTorch.
     */
    @Test
    void firstValueIsPyTorchsRoundedInitialValue() {
        assertEquals(0.040000000000000036, new OneCycleSchedule(ITERATION, 0.04, 1.0, 0.0, 15, 0.2, false)
                .valueAt(0, 0), 0.0);
    }

    /**
     * Hand derivation, three phases, 0.1 -> 1 -> 0.1 -> 0.001, T = 20, peakFraction 0.25: phase ends
     * 0.25 * 20 - 1 = 4, 2 * 0.25 * 20 - 2 = 8, 19. Halfway up at 2: 0.55; the peak at 4; halfway back at 6: 0.55;
     * initialValue at 8; halfway through the last phase (8 to 19) at 13.5 is not an update, so at 19: 0.001.
     */
    @ParameterizedTest
    @CsvSource({"2, 0.55", "4, 1.0", "6, 0.55", "8, 0.1", "19, 0.001", "20, 0.001"})
    void handDerivedThreePhases(int t, double expected) {
        assertEquals(expected, new OneCycleSchedule(ITERATION, 0.1, 1.0, 0.001, 20, 0.25, true).valueAt(t, 0), 1e-15);
    }

    /**
     * Fractional epochs, 4 iterations per epoch, the two-phase schedule above in epochs: iteration 4 of epoch 1
     * is t = 1 (0.52); iteration 2 of epoch 0 is t = 0.5, a quarter of phase one:
     * 1 + (0.04 - 1) / 2 * (cos(pi / 4) + 1) = 0.18058874503045723; iteration 32 of epoch 8 is t = 8 (0.5).
     */
    @ParameterizedTest
    @CsvSource({"4, 1, 0.52", "2, 0, 0.18058874503045723", "32, 8, 0.5", "56, 14, 0.0"})
    void fractionalEpochs(int iteration, int epoch, double expected) {
        assertEquals(expected, new OneCycleSchedule(EPOCH, 0.04, 1.0, 0.0, 15, 0.2, false, 4)
                .valueAt(iteration, epoch), 1e-15);
    }

    /**
     * PyTorch's default momentum cycle (Schedules.oneCycleMomentum): 0.95 at 0, 0.85 at the peak of the rate
     * (0.3 * 100 - 1 = 29), 0.95 again at 99. While the rate rises, the momentum falls by the same fraction:
     * (0.95 - m) / 0.1 = (lr - initial) / (max - initial); while it falls, (0.95 - m) / 0.1 =
     * (lr - final) / (max - final): both follow the same cosine.
     */
    @Test
    void momentumMirrorsTheRate() {
        OneCycleSchedule lr = Schedules.oneCycle(ITERATION, 0.1, 100);
        OneCycleSchedule momentum = Schedules.oneCycleMomentum(ITERATION, 100);
        assertEquals(0.95, momentum.valueAt(0, 0), 1e-15);
        assertEquals(0.85, momentum.valueAt(29, 0), 0.0);
        assertEquals(0.1, lr.valueAt(29, 0), 0.0);
        assertEquals(0.95, momentum.valueAt(99, 0), 0.0);
        assertEquals(0.95, momentum.valueAt(5000, 0), 0.0);
        for (int t = 0; t <= 99; t++) {
            double up = (lr.valueAt(t, 0) - lr.getInitialValue()) / (0.1 - lr.getInitialValue());
            double down = (lr.valueAt(t, 0) - lr.getFinalValue()) / (0.1 - lr.getFinalValue());
            double m = momentum.valueAt(t, 0);
            assertEquals(t <= 29 ? up : down, (0.95 - m) / 0.1, 1e-12, "update " + t);
        }
    }

    /**
     * The phase end 0.29 * 100 - 1 is 27.999999999999996 in double (as in PyTorch), so update 28 is already in
     * the second phase, a hair past the peak; update 27 is still rising.
     */
    @Test
    void nonIntegerPhaseEndAsInPyTorch() {
        OneCycleSchedule s = new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 100, 0.29, false);
        assertTrue(s.valueAt(27, 0) < s.valueAt(28, 0));
        assertTrue(s.valueAt(29, 0) < s.valueAt(28, 0));
    }

    @Test
    void invariantsOverRandomParameters() {
        Random random = new Random(20261129L);
        for (int trial = 0; trial < 300; trial++) {
            boolean three = random.nextBoolean();
            double p = 0.05 + random.nextDouble() * (three ? 0.4 : 0.9);
            int total = 3 + random.nextInt(400);
            double peak = 0.01 + random.nextDouble();
            double initial = peak * random.nextDouble();
            double fin = initial * random.nextDouble();
            OneCycleSchedule s;
            try {
                s = new OneCycleSchedule(ITERATION, initial, peak, fin, total, p, three);
            } catch (IllegalArgumentException tooShort) {
                assertTrue(tooShort.getMessage().contains("must last at least one step"), tooShort.getMessage());
                continue;
            }
            // PyTorch's first phase end; after it, every phase goes down (peak -> initial -> final, or peak ->
            // final), and crossing the second phase end goes from >= initial to <= initial
            double end1 = p * total - 1;
            double previous = s.valueAt(0, 0);
            assertEquals(initial, previous, 1e-15);
            for (int t = 1; t <= total + 2; t++) {
                double v = s.valueAt(t, 0);
                assertTrue(v >= fin - 1e-15 && v <= peak + 1e-15, s + " out of bounds at " + t + ": " + v);
                assertTrue(v <= s.largestValue() * (1 + 1e-15), s + " above largestValue() at " + t);
                if (t <= end1) {
                    assertTrue(v >= previous - 1e-15, s + " falls in phase one at " + t);
                } else if (t - 1 > end1) {
                    assertTrue(v <= previous + 1e-15, s + " rises after the peak at " + t);
                }
                previous = v;
            }
            assertEquals(fin, s.valueAt(total - 1, 0), 0.0, s + " reaches finalValue at T - 1");
        }
    }

    @Test
    void contract() throws Exception {
        OneCycleSchedule s = new OneCycleSchedule(EPOCH, 0.004, 0.1, 4e-7, 30, 0.3, false, 390);
        ScheduleContract.check(s, PROPERTIES, List.of(
                new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 30, 0.3, false),
                new OneCycleSchedule(EPOCH, 0.005, 0.1, 4e-7, 30, 0.3, false, 390),
                new OneCycleSchedule(EPOCH, 0.004, 0.2, 4e-7, 30, 0.3, false, 390),
                new OneCycleSchedule(EPOCH, 0.004, 0.1, 5e-7, 30, 0.3, false, 390),
                new OneCycleSchedule(EPOCH, 0.004, 0.1, 4e-7, 31, 0.3, false, 390),
                new OneCycleSchedule(EPOCH, 0.004, 0.1, 4e-7, 30, 0.25, false, 390),
                new OneCycleSchedule(EPOCH, 0.004, 0.1, 4e-7, 30, 0.3, true, 390),
                new OneCycleSchedule(EPOCH, 0.004, 0.1, 4e-7, 30, 0.3, false, 391)));
        ScheduleContract.check(Schedules.oneCycleMomentum(ITERATION, 1000), PROPERTIES, List.of(
                Schedules.oneCycleMomentum(ITERATION, 1001)));
    }

    @Test
    void toStringNamesEveryProperty() {
        assertEquals("OneCycleSchedule(initialValue=0.004, peakValue=0.1, finalValue=4.0E-7, totalPeriod=100, "
                + "peakFraction=0.3, threePhase=false, scheduleType=ITERATION)", Schedules.oneCycle(ITERATION, 0.1, 100)
                .toString());
    }

    @Test
    void rejectsInvalidArguments() {
        assertRejected("scheduleType (null) must not be null",
                () -> new OneCycleSchedule(null, 0.004, 0.1, 4e-7, 100, 0.3, false));
        assertRejected("initialValue (NaN) must be finite",
                () -> new OneCycleSchedule(ITERATION, Double.NaN, 0.1, 4e-7, 100, 0.3, false));
        assertRejected("initialValue (-0.004) must be >= 0",
                () -> new OneCycleSchedule(ITERATION, -0.004, 0.1, 4e-7, 100, 0.3, false));
        assertRejected("peakValue (Infinity) must be finite",
                () -> new OneCycleSchedule(ITERATION, 0.004, Double.POSITIVE_INFINITY, 4e-7, 100, 0.3, false));
        assertRejected("peakValue (-0.1) must be >= 0",
                () -> new OneCycleSchedule(ITERATION, 0.004, -0.1, 4e-7, 100, 0.3, false));
        assertRejected("finalValue (-1.0E-7) must be >= 0",
                () -> new OneCycleSchedule(ITERATION, 0.004, 0.1, -1e-7, 100, 0.3, false));
        assertRejected("finalValue (NaN) must be finite",
                () -> new OneCycleSchedule(ITERATION, 0.004, 0.1, Double.NaN, 100, 0.3, false));
        assertRejected("totalPeriod (0) must be > 0",
                () -> new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 0, 0.3, false));
        assertRejected("totalPeriod (-5) must be > 0",
                () -> new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, -5, 0.3, false));
        for (double p : new double[] {0.0, 1.0, -0.3, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertRejected("peakFraction (" + p + ") must be in (0, 1)",
                    () -> new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 100, p, false));
        }
        assertRejected("peakFraction (0.5) must be < 0.5 with threePhase=true",
                () -> new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 100, 0.5, true));
        assertRejected("peakFraction (0.7) must be < 0.5 with threePhase=true",
                () -> new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 100, 0.7, true));
        // PyTorch 1.13 raises ZeroDivisionError for OneCycleLR(total_steps=10, pct_start=0.1): 0.1 * 10 - 1 = 0, and
        // for total_steps=3, pct_start=0.3 it starts at 0.0994 (the warmup ends at -0.1, before the first step)
        assertRejected("the first phase (from t = 0.0 to 0.0) must last at least one step",
                () -> new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 10, 0.1, false));
        assertRejected("the first phase (from t = 0.0 to -0.1",
                () -> new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 3, 0.3, false));
        // 0.3 * 5 - 1 = 0.5: the first phase is shorter than one step
        assertRejected("the first phase (from t = 0.0 to 0.5) must last at least one step",
                () -> new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 5, 0.3, false));
        // 0.9 * 10 - 1 = 8, T - 1 = 9: one step left for the second phase is fine, 0.95 * 10 - 1 = 8.5 is not
        new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 10, 0.9, false);
        assertRejected("the second phase (from t = 8.5 to 9.0) must last at least one step",
                () -> new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 10, 0.95, false));
        // three phases, 0.45 * 20: ends at 8, 16 and 19 are fine; 0.45 * 4: 0.8, the first phase too short
        new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 20, 0.45, true);
        assertRejected("the first phase (from t = 0.0 to 0.8",
                () -> new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 4, 0.45, true));
        assertRejected("the first phase", () -> new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 1, 0.5, false));
        assertRejected("iterationsPerEpoch (-1) must be >= 0",
                () -> new OneCycleSchedule(EPOCH, 0.004, 0.1, 4e-7, 100, 0.3, false, -1));
        assertRejected("iterationsPerEpoch (3) must be 0 with scheduleType=ITERATION",
                () -> new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 100, 0.3, false, 3));
        OneCycleSchedule s = Schedules.oneCycle(ITERATION, 0.1, 100);
        assertRejected("iteration (-7) must be >= 0", () -> s.valueAt(-7, 0));
        assertRejected("epoch (-1) must be >= 0", () -> s.valueAt(0, -1));
    }
}
