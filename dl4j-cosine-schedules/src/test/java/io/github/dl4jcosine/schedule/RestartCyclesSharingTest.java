package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * CosineWarmRestartsSchedule keeps the cycle of its last lookup as a shared, unsynchronized hint (an immutable
 * RestartCycles.Cycle). One instance shared by threads (ParallelWrapper workers, Spark tasks in one JVM) must
 * give every thread exactly what a fresh instance used by one thread gives: the hint may only change speed.
 * The same after Java serialization (the cycles are transient and rebuilt by readResolve) and clone().
 */
class RestartCyclesSharingTest {

    private static final int THREADS = 4;
    private static final int POSITIONS = 3_000;
    private static final int ROUNDS = 20;

    /** Constant period, tabled multipliers (2.0, 1.5), the closed form (1.001, firstPeriod 7), with and without maxCycles. */
    private static List<CosineWarmRestartsSchedule> schedules() {
        return List.of(
                new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.001, 10, 1.0, 1.0, 0, 0),
                new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.001, 10, 1.0, 0.9, 40, 0),
                new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, 2.0, 0.8, 0, 0),
                new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 3, 1.5, 1.0, 8, 390),
                new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 3, 2.0, 1.0, 0, 7),
                new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 7, 1.001, 1.0, 0, 0),
                new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 7, 1.001, 0.999, 3_000, 0),
                new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 7, 1.001, 1.0, 0, 13),
                new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 7, 1.001, 1.0, 2_000, 0));
    }

    /**
     * Random updates: mostly near the start (many cycles, frequent hint changes), some anywhere in the int
     * range; for EPOCH schedules an epoch near iteration / iterationsPerEpoch (off by one either way now and
     * then, which the fractional time clamps), for ITERATION any epoch.
     */
    private static int[][] positions(CosineWarmRestartsSchedule s, long seed) {
        Random random = new Random(seed);
        int[][] positions = new int[POSITIONS][];
        for (int i = 0; i < POSITIONS; i++) {
            int iteration = random.nextInt(10) < 7 ? random.nextInt(20_000) : random.nextInt(Integer.MAX_VALUE);
            int epoch;
            if (s.getScheduleType() == ScheduleType.EPOCH && s.getIterationsPerEpoch() > 0) {
                epoch = Math.max(0, iteration / s.getIterationsPerEpoch() + random.nextInt(3) - 1);
            } else {
                epoch = random.nextInt(10) < 7 ? random.nextInt(20_000) : random.nextInt(Integer.MAX_VALUE);
            }
            positions[i] = new int[] {iteration, epoch};
        }
        return positions;
    }

    /** What a fresh instance used by one thread gives at each position, and its cycle index. */
    private static double[][] expected(CosineWarmRestartsSchedule s, int[][] positions) {
        double[][] expected = new double[positions.length][];
        for (int i = 0; i < positions.length; i++) {
            CosineWarmRestartsSchedule fresh = (CosineWarmRestartsSchedule) s.clone();
            int[] p = positions[i];
            expected[i] = new double[] {fresh.valueAt(p[0], p[1]), fresh.cycleIndex(p[0], p[1])};
        }
        return expected;
    }

    @Test
    void oneInstanceSharedByFourThreadsGivesEveryThreadTheSingleThreadedValues() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            long seed = 1;
            for (CosineWarmRestartsSchedule s : schedules()) {
                int[][] positions = positions(s, seed++);
                double[][] expected = expected(s, positions);
                CosineWarmRestartsSchedule shared = (CosineWarmRestartsSchedule) s.clone();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<String>> results = new ArrayList<>();
                for (int thread = 0; thread < THREADS; thread++) {
                    long order = seed * 100 + thread;
                    results.add(pool.submit(() -> {
                        Random random = new Random(order);
                        start.await();
                        for (int round = 0; round < ROUNDS; round++) {
                            for (int n = 0; n < POSITIONS; n++) {
                                // a run of consecutive positions now and then, as training steps through updates
                                int i = random.nextInt(POSITIONS);
                                int[] p = positions[i];
                                double value = shared.valueAt(p[0], p[1]);
                                int cycle = shared.cycleIndex(p[0], p[1]);
                                if (Double.doubleToLongBits(value) != Double.doubleToLongBits(expected[i][0])
                                        || cycle != (int) expected[i][1]) {
                                    return s + " at (" + p[0] + ", " + p[1] + "): " + value + " in cycle " + cycle
                                            + ", single-threaded " + expected[i][0] + " in cycle " + (int) expected[i][1];
                                }
                                if (p[0] < Integer.MAX_VALUE - 1 && random.nextBoolean()) {
                                    shared.valueAt(p[0] + 1, p[1]);
                                }
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<String> result : results) {
                    String mismatch = result.get(2, TimeUnit.MINUTES);
                    assertEquals(null, mismatch, mismatch);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Java serialization keeps the configuration; readResolve rebuilds the cycles through the constructor. The copy
     * (and its clone) gives the original's values everywhere, whatever cycle the original's hint was on.
     */
    @Test
    void javaSerializedCopyAndItsCloneGiveTheOriginalsValues() throws Exception {
        long seed = 1000;
        for (CosineWarmRestartsSchedule s : schedules()) {
            int[][] positions = positions(s, seed++);
            double[][] expected = expected(s, positions);
            CosineWarmRestartsSchedule original = (CosineWarmRestartsSchedule) s.clone();
            original.valueAt(Integer.MAX_VALUE, Integer.MAX_VALUE); // the hint on a late cycle
            CosineWarmRestartsSchedule copy = (CosineWarmRestartsSchedule) ScheduleContract.javaSerialization(original);
            assertNotSame(original, copy);
            assertEquals(original, copy);
            CosineWarmRestartsSchedule cloneOfCopy = (CosineWarmRestartsSchedule) copy.clone();
            assertEquals(original, cloneOfCopy);
            for (int i = 0; i < positions.length; i++) {
                int[] p = positions[i];
                for (CosineWarmRestartsSchedule x : List.of(copy, cloneOfCopy)) {
                    assertEquals(expected[i][0], x.valueAt(p[0], p[1]), 0.0, s + " at " + p[0] + ", " + p[1]);
                    assertEquals((int) expected[i][1], x.cycleIndex(p[0], p[1]));
                }
            }
            assertTrue(copy.restartPoints(3).length > 0);
            assertEquals(original.cycleStart(0), copy.cycleStart(0), 0.0);
        }
    }
}
