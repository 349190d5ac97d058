package io.github.dl4jcosine.spark;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What test code prints on {@code System.err}, kept out of the build log and handed to the test to assert on: the
 * Spark module's copy of the schedules module's {@code io.github.dl4jcosine.testing.Printed} (test classes are not
 * shared between modules). Log4j's console appender writes to the current {@code System.err} here (its
 * {@code follow} option, see src/test/resources/log4j.properties), so our listeners' log lines and Spark's are
 * captured, from every thread, while the body runs. When the body throws, what it printed goes to the real stream
 * first and the exception goes on unchanged.
 */
final class Printed {

    /** Test code that may throw anything. */
    @FunctionalInterface
    interface Body {
        void run() throws Throwable;
    }

    private Printed() {
    }

    /** What {@code body} printed on {@code System.err}, which the build log never sees. */
    static String stderrOf(Body body) {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } catch (Throwable t) {
            System.setErr(original);
            original.print(bytes.toString(StandardCharsets.UTF_8));
            original.flush();
            throw Printed.<RuntimeException>rethrow(t);
        } finally {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T rethrow(Throwable t) throws T {
        throw (T) t;
    }
}
