package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every row of {@code pytorch/pytorch-1.13-onecycle-wsd.csv}, written by PyTorch 1.13 itself through
 * {@code pytorch/generate_pytorch_onecycle_wsd.py}: {@code OneCycleLR(anneal_strategy='cos')} learning rate
 * and momentum (two and three phases, totals 3 to 1000, non-integer phase ends, other div factors), stepped
 * per update, once per epoch and with {@code step(epoch + i/n)}; and
 * {@code SequentialLR([LinearLR, ConstantLR, CosineAnnealingLR])} as a warmup-stable-decay with a linear
 * warmup and a cosine decay, stepped per update and once per epoch.
 *
 * <p>Tolerance: 1e-12 relative to the expected value. OneCycleSchedule computes PyTorch's closed form in
 * PyTorch's operation order (differences come only from the two platforms' cosines); PyTorch's
 * {@code LinearLR} and {@code CosineAnnealingLR} update the rate recursively, so the WSD rows differ from our
 * closed form by accumulated rounding. The largest deviations are printed per kind.
 *
 * <p>{@code -Dpytorch.onecycle=FILE} compares a CSV of the same format instead, e.g. the random configurations
 * written by {@code generate_pytorch_onecycle_wsd.py --random SEED} (see the README).
 */
class PyTorchOneCycleWsdReferenceTest {

    static final double RELATIVE_TOLERANCE = 1e-12;

    /** Per kind: rows, largest absolute and largest relative deviation. */
    private static final Map<String, double[]> DEVIATIONS = new TreeMap<>();
    private static final Map<String, String> WORST = new TreeMap<>();

    record Row(int iteration, int epoch, double value) {
    }

    record Case(int id, String kind, ScheduleType unit, int n, String[] args, String torch, List<Row> rows) {
        ISchedule schedule() {
            if (kind.startsWith("onecycle")) {
                return new OneCycleSchedule(unit, d(0), d(1), d(2), i(3), d(4), Boolean.parseBoolean(args[5]), n);
            }
            assertEquals("wsd", kind);
            return new WarmupStableDecaySchedule(unit, d(0), d(1), d(2), i(3), i(4), i(5),
                    WarmupStableDecaySchedule.Shape.LINEAR, WarmupStableDecaySchedule.Shape.COSINE, n);
        }

        private double d(int k) {
            return Double.parseDouble(args[k]);
        }

        private int i(int k) {
            return Integer.parseInt(args[k]);
        }

        @Override
        public String toString() {
            return "case " + id + " " + kind + " " + unit + (n > 0 ? " n=" + n : "") + ": " + torch;
        }
    }

    static Stream<Case> cases() throws IOException {
        Map<Integer, Case> cases = new LinkedHashMap<>();
        String other = System.getProperty("pytorch.onecycle");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(other != null
                ? Files.newInputStream(Paths.get(other))
                : PyTorchOneCycleWsdReferenceTest.class.getResourceAsStream("/pytorch/pytorch-1.13-onecycle-wsd.csv"),
                StandardCharsets.UTF_8))) {
            assertEquals("case,kind,unit,n,a,b,c,d,e,f,iteration,epoch,value,torch", in.readLine());
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",", 14);
                int id = Integer.parseInt(f[0]);
                Case c = cases.computeIfAbsent(id, k -> new Case(k, f[1], ScheduleType.valueOf(f[2]),
                        Integer.parseInt(f[3]), new String[] {f[4], f[5], f[6], f[7], f[8], f[9]},
                        f[13].replace("\"", ""), new ArrayList<>()));
                c.rows().add(new Row(Integer.parseInt(f[10]), Integer.parseInt(f[11]), Double.parseDouble(f[12])));
            }
        }
        return cases.values().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(Case c) {
        ISchedule schedule = c.schedule();
        assertTrue(c.rows().size() > 1);
        double[] d = DEVIATIONS.computeIfAbsent(c.kind(), k -> new double[3]);
        for (Row row : c.rows()) {
            double actual = schedule.valueAt(row.iteration(), row.epoch());
            double error = Math.abs(actual - row.value());
            assertTrue(error <= RELATIVE_TOLERANCE * Math.abs(row.value()),
                    () -> c + ": iteration " + row.iteration() + ", epoch " + row.epoch() + ": expected "
                            + row.value() + " but was " + actual);
            d[0]++;
            d[1] = Math.max(d[1], error);
            if (row.value() != 0) {
                if (error / Math.abs(row.value()) > d[2]) {
                    WORST.put(c.kind(), c + " iteration " + row.iteration() + " epoch " + row.epoch() + " expected "
                            + row.value() + " actual " + actual);
                }
                d[2] = Math.max(d[2], error / Math.abs(row.value()));
            }
        }
    }

    @AfterAll
    static void report() {
        for (Map.Entry<String, double[]> e : DEVIATIONS.entrySet()) {
            System.out.printf(Locale.ROOT, "PyTorch 1.13 %s: %d rows, max absolute deviation %.3g, max relative %.3g%n",
                    e.getKey(), (long) e.getValue()[0], e.getValue()[1], e.getValue()[2]);
            System.out.println("  largest relative deviation: " + WORST.get(e.getKey()));
        }
    }
}
