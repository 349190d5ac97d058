package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every case of {@code keras/keras-3-reference.csv}, written by Keras 3.15.1 (JAX backend) itself through
 * {@code keras/generate_keras_reference.py}: the JSON Keras wrote for a schedule (serialize(), the older
 * {@code {"class_name", "config"}}, an optimizer's get_config() or serialize(optimizer)) goes through
 * {@link KerasSchedules#fromConfig}, and the result is compared at every listed step with
 * <ul>
 *   <li>{@code exact}, the same formula evaluated by the generator in double with exact rational floor/ceil/cycle
 *       arithmetic: within 1e-12 of the row's scale (the larger of the case's largest rate parameter and the value),
 *       at every row (plus, for DL4J's {@code ExponentialSchedule}, the rounding of its {@code gamma} raised to the
 *       step: up to {@code step * 2^-52} of the value); and</li>
 *   <li>{@code keras}, Keras's own value (as model.fit computes it: jit, int32 step): within 1e-6 of the row's scale
 *       where the generator found Keras within that of exact (flag "."); within 1e-6 plus the float32 bound the
 *       generator derived where Keras's float32 arithmetic at a large step costs it more (flag "f"); and
 *       different from ours where Keras's float32 puts the step into the neighbouring piece (flag "b": a restart a
 *       step early or late, a multiple of decay_steps counted into the next cycle, a stair) or gives NaN
 *       (flag "n": PolynomialDecay with a fractional power at decay_steps, where XLA's fraction exceeds 1).</li>
 * </ul>
 * The largest deviations per Keras class are printed after the run (they are quoted in docs/keras.md).
 */
class KerasReferenceTest {

    private static final double EXACT_TOLERANCE = 1e-12;
    private static final double KERAS_TOLERANCE = 1e-6;

    /** Per Keras class: {rows, largest "." deviation, largest "f" deviation, "f" rows, "b" rows, "n" rows}. */
    private static final Map<String, double[]> SUMMARY = new TreeMap<>();

    record Case(int id, String kerasClass, String form, String json, double scale, long[] steps, double[] keras,
                double[] exact, String[] flags, double[] bounds) {
        @Override
        public String toString() {
            return "case " + id + " " + kerasClass + " (" + form + ")";
        }
    }

    static Stream<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        List<List<String>> rows = Csv.read(resource("/keras/keras-3-reference.csv"));
        assertEquals(List.of("case", "class", "form", "json", "scale", "steps", "keras", "exact", "flags", "bounds"),
                rows.get(0));
        for (List<String> r : rows.subList(1, rows.size())) {
            String[] steps = r.get(5).split(" ");
            long[] s = new long[steps.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = Long.parseLong(steps[i]);
            }
            cases.add(new Case(Integer.parseInt(r.get(0)), r.get(1), r.get(2), r.get(3), Double.parseDouble(r.get(4)),
                    s, doubles(r.get(6)), doubles(r.get(7)), r.get(8).split(" "), doubles(r.get(9))));
        }
        assertTrue(cases.size() >= 80, "cases: " + cases.size());
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesKeras(Case c) {
        ISchedule schedule = KerasSchedules.fromConfig(c.json());
        assertEquals(c.steps().length, c.keras().length);
        double[] summary = SUMMARY.computeIfAbsent(c.kerasClass(), k -> new double[6]);
        for (int i = 0; i < c.steps().length; i++) {
            int step = (int) c.steps()[i];
            int row = i;
            double ours = schedule.valueAt(step, step / 100);   // ITERATION: the epoch must not matter
            double exact = c.exact()[i];
            double scale = Math.max(c.scale(), Math.abs(exact));
            // DL4J's ExponentialSchedule raises gamma = decay_rate^(1/decay_steps), rounded to double, to the step: its
            // relative rounding error grows with the step, to about step * 2^-53 (2.4e-7 at 2^31)
            double powerRounding = schedule instanceof ExponentialSchedule ? Math.abs(exact) * step * 0x1p-52 : 0;
            assertTrue(Math.abs(ours - exact) <= EXACT_TOLERANCE * scale + powerRounding, () -> c + " step " + step + ": exact "
                    + exact + " but ours " + ours + " (" + schedule + ")");
            double keras = c.keras()[i];
            double deviation = Math.abs(ours - keras) / scale;
            switch (c.flags()[i]) {
                case ".":
                    assertTrue(deviation <= KERAS_TOLERANCE, () -> c + " step " + step + ": Keras " + keras
                            + " but ours " + ours + " (" + schedule + ")");
                    summary[1] = Math.max(summary[1], deviation);
                    break;
                case "f":
                    assertTrue(Math.abs(ours - keras) <= KERAS_TOLERANCE * scale + c.bounds()[i], () -> c + " step "
                            + step + ": Keras " + keras + " but ours " + ours + ", beyond float32's bound "
                            + c.bounds()[row]);
                    summary[2] = Math.max(summary[2], deviation);
                    summary[3]++;
                    break;
                case "b":
                    assertTrue(deviation > KERAS_TOLERANCE, () -> c + " step " + step
                            + ": marked as misplaced by Keras, but Keras agrees");
                    summary[4]++;
                    break;
                case "n":
                    assertTrue(Double.isNaN(keras), () -> c + " step " + step + ": marked NaN in Keras");
                    summary[5]++;
                    break;
                default:
                    throw new IllegalStateException("flag " + c.flags()[i]);
            }
            summary[0]++;
        }
    }

    @AfterAll
    static void report() {
        StringBuilder s = new StringBuilder("Keras 3 reference, per class: rows, largest deviation (of the scale)"
                + " where Keras is within 1e-6, where float32 costs Keras more (rows), rows in another piece, NaN rows");
        for (Map.Entry<String, double[]> e : SUMMARY.entrySet()) {
            double[] v = e.getValue();
            s.append(String.format("%n  %-22s %5d  %.3g  %.3g (%d)  %d  %d", e.getKey(), (long) v[0], v[1], v[2],
                    (long) v[3], (long) v[4], (long) v[5]));
        }
        System.out.println(s);
    }

    private static double[] doubles(String field) {
        String[] parts = field.split(" ");
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = parts[i].equals("nan") ? Double.NaN : Double.parseDouble(parts[i]);   // Python's repr
        }
        return values;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = KerasReferenceTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** RFC 4180 CSV as Python's csv module writes it: fields quoted when needed, quotes doubled. */
    static final class Csv {

        private Csv() {
        }

        static List<List<String>> read(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        field.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (ch == '\n') {
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else if (ch != '\r') {
                    field.append(ch);
                }
            }
            if (field.length() > 0 || !row.isEmpty()) {
                row.add(field.toString());
                rows.add(row);
            }
            return rows;
        }
    }
}
