package io.github.dl4jcosine.finder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LearningRateFinder#analyze} against {@code finder/finder-reference.csv}, written by
 * {@code finder/generate_finder_reference.py}: an independent Python implementation of the written rules (numpy 1.24's
 * {@code numpy.gradient(s, log10(lr))} for STEEPEST, fastai's valley loop as fastai writes it, O(n^2), for VALLEY),
 * over 175 curves: range-test-like curves with noise, uniform noise, descents, curves that blow up, a non-finite loss
 * at a random update, curves shorter than the suggestions need, {@code steps} from 2 to 300, smoothing 0 to 0.995,
 * divergence factors 1.2 to 1e9.
 *
 * <p>Exact: the number of updates kept, {@code stoppedEarly}, each suggestion's point. Tolerances: the smoothed losses
 * and the rates within 1e-13 relative ({@code Math.pow} and C's {@code pow} may differ in the last bit).
 */
class FinderReferenceTest {

    static final double RELATIVE_TOLERANCE = 1e-13;

    record Case(String name, LearningRateFinder finder, double[] losses, int n, boolean stoppedEarly,
                double[] smoothed, int[] points, Double[] rates) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        InputStream in = FinderReferenceTest.class.getResourceAsStream("/finder/finder-reference.csv");
        assertNotNull(in, "finder/finder-reference.csv on the test class path");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = r.readLine();
            assertTrue(header.startsWith("case,minValue,maxValue,steps"), header);
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split(",", -1);
                LearningRateFinder finder = new LearningRateFinder(Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Integer.parseInt(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]));
                cases.add(new Case(f[0], finder, doubles(f[6]), Integer.parseInt(f[7]), Boolean.parseBoolean(f[8]),
                        doubles(f[9]), new int[] {Integer.parseInt(f[10]), Integer.parseInt(f[11]),
                            Integer.parseInt(f[12])}, new Double[] {rate(f[13]), rate(f[14]), rate(f[15])}));
            }
        }
        return cases;
    }

    private static double[] doubles(String field) {
        if (field.isEmpty()) {
            return new double[0];
        }
        String[] parts = field.split(";");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = parse(parts[i]);
        }
        return v;
    }

    /** Python's repr: nan, inf, -inf. */
    private static double parse(String s) {
        switch (s) {
            case "nan":
                return Double.NaN;
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(s);
        }
    }

    private static Double rate(String field) {
        return field.isEmpty() ? null : Double.parseDouble(field);
    }

    @Test
    void theReferenceHasAllCases() throws IOException {
        assertEquals(175, cases().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void analyzeGivesWhatTheReferenceGives(Case c) {
        LearningRateFinder.Result r = c.finder.analyze(c.losses);
        double[] losses = r.losses();
        assertEquals(c.n, losses.length, "updates kept");
        assertEquals(c.stoppedEarly, r.stoppedEarly(), "stoppedEarly");
        for (int k = 0; k < c.n; k++) {
            assertEquals(Double.doubleToLongBits(c.losses[k]), Double.doubleToLongBits(losses[k]), "loss " + k);
        }
        assertClose(c.smoothed, r.smoothedLosses(), "smoothed");
        double[] rates = r.learningRates();
        for (int k = 0; k < c.n; k++) {
            double expected = c.finder.minValue()
                    * Math.pow(c.finder.maxValue() / c.finder.minValue(), k / (double) (c.finder.steps() - 1));
            assertClose(new double[] {expected}, new double[] {rates[k]}, "rate " + k);
        }
        LearningRateFinder.Suggestion[] kinds = LearningRateFinder.Suggestion.values();
        for (int i = 0; i < kinds.length; i++) {
            int point = r.point(kinds[i]).orElse(-1);
            assertEquals(c.points[i], point, kinds[i] + " point");
            OptionalDouble value = r.suggestion(kinds[i]);
            assertEquals(c.rates[i] != null, value.isPresent(), kinds[i] + " present");
            if (c.rates[i] != null) {
                assertClose(new double[] {c.rates[i]}, new double[] {value.getAsDouble()}, kinds[i] + " rate");
            }
        }
        assertEquals(r.suggestion(LearningRateFinder.Suggestion.STEEPEST), r.suggestion());
    }

    /** The analysis of a result's own losses is that result: what analyze gives is what find gives. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void analyzingTheRecordedLossesAgainGivesTheSameResult(Case c) {
        LearningRateFinder.Result r = c.finder.analyze(c.losses);
        LearningRateFinder.Result again = c.finder.analyze(r.losses());
        assertEquals(r, again);
        assertEquals(r.toString(), again.toString());
        assertArrayEquals(r.smoothedLosses(), again.smoothedLosses());
    }

    @Test
    void someCasesHaveEachOutcome() throws IOException {
        int stopped = 0;
        int complete = 0;
        int[] none = new int[3];
        for (Case c : cases()) {
            if (c.stoppedEarly) {
                stopped++;
            } else if (c.n == c.finder.steps()) {
                complete++;
            }
            for (int i = 0; i < 3; i++) {
                none[i] += c.points[i] < 0 ? 1 : 0;
            }
        }
        assertTrue(stopped >= 30 && complete >= 30, stopped + " stopped early, " + complete + " complete");
        for (int n : none) {
            assertTrue(n >= 10 && n <= 120, "cases without a suggestion: " + n);
        }
    }

    static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (!Double.isFinite(e) || e == 0) {
                assertEquals(Double.doubleToLongBits(e), Double.doubleToLongBits(a), what + " [" + i + "]");
            } else {
                assertTrue(Math.abs(a - e) <= RELATIVE_TOLERANCE * Math.abs(e),
                        what + " [" + i + "]: expected " + e + ", got " + a);
            }
        }
        assertFalse(what.isEmpty());
    }
}
