package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ScheduleTime#exact} is the cast {@code (double) value}, bit for bit, for every value a schedule converts. */
class ScheduleTimeExactTest {

    @Test
    void equalsTheCastOnTheWholeRange() {
        long[] edges = {0, 1, 2, 3, 389, 390, 65535, 1L << 31, Integer.MAX_VALUE, Integer.MAX_VALUE - 1L,
            (1L << 31) + 1, (1L << 52) - 1, (1L << 52) - 2, 1L << 40};
        for (long v : edges) {
            assertEquals(Double.doubleToRawLongBits((double) v), Double.doubleToRawLongBits(ScheduleTime.exact(v)),
                    "value " + v);
        }
        Random random = new Random(20261129L);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong() >>> 12;   // [0, 2^52)
            assertEquals((double) v, ScheduleTime.exact(v), 0.0, "value " + v);
            int w = random.nextInt(Integer.MAX_VALUE);
            assertEquals((double) w, ScheduleTime.exact(w), 0.0, "value " + w);
        }
    }
}
