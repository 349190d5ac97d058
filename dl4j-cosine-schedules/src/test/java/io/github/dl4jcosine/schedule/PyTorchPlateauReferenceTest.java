package io.github.dl4jcosine.schedule;

import io.github.dl4jcosine.schedule.PlateauSchedule.Mode;
import io.github.dl4jcosine.schedule.PlateauSchedule.ThresholdMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.schedule.FixedSchedule;

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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every row of {@code pytorch/pytorch-1.13-plateau.csv}, written by PyTorch 1.13 itself through
 * {@code pytorch/generate_pytorch_plateau.py}: {@code ReduceLROnPlateau} stepped with random metric sequences (NaN
 * and infinities included) under every option, 176 configurations. A PlateauSchedule over a constant base equal to
 * PyTorch's initial rate gets the same metrics as reports, one every 10 updates; after each report:
 * <ul>
 *   <li>it reduced exactly when PyTorch's step lowered the rate (the same reductions at the same reports);</li>
 *   <li>its rate from the report on equals PyTorch's rate after that step, within 1e-12 relative (a reduction
 *       computes {@code max(b * m * factor, minValue) / b} and the value is {@code b} times that: one rounding
 *       apart from PyTorch's {@code max(lr * factor, min_lr)} per reduction);</li>
 *   <li>the update just before the report keeps its value bit for bit.</li>
 * </ul>
 * {@code -Dpytorch.plateau=FILE} compares another CSV of the same format, e.g. the output of
 * {@code generate_pytorch_plateau.py --random SEED}.
 */
class PyTorchPlateauReferenceTest {

    static final double RELATIVE_TOLERANCE = 1e-12;
    static final int EVERY = 10;

    private static final double[] DEVIATION = new double[3];
    private static String worst = "";

    record Row(double metric, double lr, boolean reduced) {
    }

    record Case(int id, String[] config, List<Row> rows) {
        PlateauSchedule schedule() {
            return PlateauSchedule.builder(new FixedSchedule(d(8)))
                    .mode(config[0].equals("min") ? Mode.MIN : Mode.MAX)
                    .factor(d(1)).patience(Integer.parseInt(config[2])).threshold(d(3))
                    .thresholdMode(config[4].equals("rel") ? ThresholdMode.RELATIVE : ThresholdMode.ABSOLUTE)
                    .cooldown(Integer.parseInt(config[5])).minValue(d(6)).eps(d(7)).build();
        }

        double lr0() {
            return d(8);
        }

        private double d(int k) {
            return Double.parseDouble(config[k]);
        }

        @Override
        public String toString() {
            return "case " + id + ": ReduceLROnPlateau(lr=" + config[8] + ", mode=" + config[0] + ", factor="
                    + config[1] + ", patience=" + config[2] + ", threshold=" + config[3] + ", threshold_mode="
                    + config[4] + ", cooldown=" + config[5] + ", min_lr=" + config[6] + ", eps=" + config[7] + "), "
                    + rows.size() + " steps";
        }
    }

    static Stream<Case> cases() throws IOException {
        Map<Integer, Case> cases = new LinkedHashMap<>();
        String other = System.getProperty("pytorch.plateau");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(other != null
                ? Files.newInputStream(Paths.get(other))
                : PyTorchPlateauReferenceTest.class.getResourceAsStream("/pytorch/pytorch-1.13-plateau.csv"),
                StandardCharsets.UTF_8))) {
            assertEquals("case,mode,factor,patience,threshold,threshold_mode,cooldown,min_lr,eps,lr0,step,metric,lr,"
                    + "reduced", in.readLine());
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",");
                int id = Integer.parseInt(f[0]);
                Case c = cases.computeIfAbsent(id, k -> new Case(k, new String[] {f[1], f[2], f[3], f[4], f[5], f[6],
                    f[7], f[8], f[9]}, new ArrayList<>()));
                assertEquals(c.rows().size(), Integer.parseInt(f[10]), "steps in order");
                c.rows().add(new Row(Double.parseDouble(f[11]), Double.parseDouble(f[12]), Boolean.parseBoolean(f[13])));
            }
        }
        return cases.values().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(Case c) {
        PlateauSchedule s = c.schedule();
        double previous = c.lr0();
        int reductions = 0;
        for (int k = 0; k < c.rows().size(); k++) {
            Row row = c.rows().get(k);
            int iteration = EVERY * (k + 1);
            double before = s.valueAt(iteration - 1, 0);
            check(c, k, previous, s.valueAt(iteration, 0));
            boolean reduced = s.report(iteration, row.metric());
            int step = k;
            assertEquals(row.reduced(), reduced, () -> c + ": step " + step + " (metric " + row.metric() + ")");
            reductions += reduced ? 1 : 0;
            check(c, k, row.lr(), s.valueAt(iteration, 0));
            check(c, k, row.lr(), s.valueAt(iteration + EVERY - 1, 0));
            assertEquals(Double.doubleToLongBits(before), Double.doubleToLongBits(s.valueAt(iteration - 1, 0)),
                    () -> c + ": step " + step + " changed an earlier update");
            previous = row.lr();
        }
        assertEquals(reductions, s.getState().reductionCount());
        for (int k = 0; k < c.rows().size(); k++) {   // afterwards, every update still has the rate of its time
            check(c, k, c.rows().get(k).lr(), s.valueAt(EVERY * (k + 1) + 3, 0));
        }
    }

    private static void check(Case c, int step, double expected, double actual) {
        double error = Math.abs(actual - expected);
        assertTrue(error <= RELATIVE_TOLERANCE * Math.abs(expected),
                () -> c + ": step " + step + ": expected rate " + expected + " but was " + actual);
        synchronized (DEVIATION) {
            DEVIATION[0]++;
            DEVIATION[1] = Math.max(DEVIATION[1], error);
            if (expected != 0 && error / Math.abs(expected) > DEVIATION[2]) {
                DEVIATION[2] = error / Math.abs(expected);
                worst = c + " step " + step + " expected " + expected + " actual " + actual;
            }
        }
    }

    @AfterAll
    static void report() {
        System.out.printf(Locale.ROOT, "PyTorch 1.13 ReduceLROnPlateau: %d rates compared, max absolute deviation %.3g,"
                + " max relative %.3g%n", (long) DEVIATION[0], DEVIATION[1], DEVIATION[2]);
        System.out.println("  largest relative deviation: " + worst);
    }
}
