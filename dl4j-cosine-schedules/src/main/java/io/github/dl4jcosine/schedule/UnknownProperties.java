package io.github.dl4jcosine.schedule;

import org.nd4j.shade.jackson.core.JsonLocation;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Locale;

/**
 * The failure for a misspelt JSON property, shared by {@link StrictJson} (our schedules) and
 * {@link ForeignScheduleCheck} (DL4J's schedules inside ours): names the property and the class, and suggests the
 * closest known name within edit distance 2 (case-insensitive optimal string alignment).
 */
final class UnknownProperties {

    private UnknownProperties() {
    }

    /**
     * {@code Unknown property "name" for the.Class (did you mean "known"?)}: the failure for a property that
     * {@code type} does not have, with the closest of its {@code known} names if one is close.
     */
    static UnrecognizedPropertyException error(JsonParser p, JsonLocation location, Class<?> type, String name,
                                               Collection<String> known) {
        String suggestion = closest(name, known);
        return new UnrecognizedPropertyException(p, "Unknown property \"" + name + "\" for " + type.getName()
                + (suggestion == null ? "" : " (did you mean \"" + suggestion + "\"?)"), location, type, name,
                new ArrayList<Object>(known));
    }

    /** The one of {@code known} within edit distance 2 of {@code name} (case-insensitively), if there is one. */
    private static String closest(String name, Collection<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : known) {
            int d = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    /** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
