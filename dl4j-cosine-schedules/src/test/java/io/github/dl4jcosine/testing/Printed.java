package io.github.dl4jcosine.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a piece of test code prints, kept out of the build log and handed to the test to assert on. A test that
 * exercises an error path on purpose (a listener reporting at ERROR, a warning it must give) wraps the code in
 * {@link #stderrOf} and asserts on the text: a passing build stays quiet, and the message is still checked.
 *
 * <pre>{@code
 * String err = Printed.stderrOf(() -> net.fit(data));
 * assertTrue(err.contains("ERROR") && err.contains("could not save the snapshot"), err);
 * }</pre>
 *
 * <p>What is captured: everything written to {@code System.err} (or {@code System.out}) by any thread while the
 * body runs. That includes slf4j-simple's log lines (the test binding writes to {@code System.err}, looked up at
 * each call, see src/test/resources/simplelogger.properties), {@code ErrorReports}' lines printed when SLF4J has no
 * binding, and stack traces third-party code prints with {@code printStackTrace()}. Threads the body starts must be
 * done printing before it returns (join them inside the body), else their lines reach the log after all.
 *
 * <p>When the body throws, what it printed is written to the real stream first and the exception goes on
 * unchanged (also to {@code assertThrows} around the call), so a failing test still shows everything. The streams
 * are JVM-wide: not for tests that run in parallel (this build runs test classes one at a time).
 */
public final class Printed {

    /** Test code that may throw anything. */
    @FunctionalInterface
    public interface Body {
        void run() throws Throwable;
    }

    private Printed() {
    }

    /** What {@code body} printed on {@code System.err}, which the build log never sees. */
    public static String stderrOf(Body body) {
        return capture(body, () -> System.err, System::setErr);
    }

    /** What {@code body} printed on {@code System.out}, which the build log never sees. */
    public static String stdoutOf(Body body) {
        return capture(body, () -> System.out, System::setOut);
    }

    private static String capture(Body body, Supplier<PrintStream> current, Consumer<PrintStream> install) {
        PrintStream original = current.get();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        install.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } catch (Throwable t) {
            install.accept(original);
            original.print(bytes.toString(StandardCharsets.UTF_8));
            original.flush();
            throw Printed.<RuntimeException>rethrow(t);
        } finally {
            install.accept(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Until the returned handle is closed, {@code System.out} drops every line that starts with {@code prefix} and
     * passes the others on: for chatter a third-party library prints with {@code System.out.println} that no logging
     * configuration can turn off (ND4J 1.0.0-M2.1's {@code SameDiff} prints "Added differentiated op ..." for every
     * op of every graph it differentiates).
     */
    public static Dropped dropStdoutLines(String prefix) {
        PrintStream original = System.out;
        LineFilter filter = new LineFilter(original, prefix);
        System.setOut(new PrintStream(filter, true, StandardCharsets.UTF_8));
        return new Dropped(original, filter);
    }

    /** Puts {@code System.out} back; says how many lines were dropped. */
    public static final class Dropped implements AutoCloseable {
        private final PrintStream original;
        private final LineFilter filter;

        Dropped(PrintStream original, LineFilter filter) {
            this.original = original;
            this.filter = filter;
        }

        /** Lines dropped so far. */
        public int count() {
            return filter.dropped;
        }

        @Override
        public void close() {
            System.out.flush();
            filter.flushLine();
            System.setOut(original);
        }
    }

    /** Splits what is written into lines and passes on those that do not start with the prefix. */
    static final class LineFilter extends OutputStream {
        private final PrintStream target;
        private final byte[] prefix;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        int dropped;

        LineFilter(PrintStream target, String prefix) {
            this.target = target;
            this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                flushLine();
            }
        }

        synchronized void flushLine() {
            byte[] bytes = line.toByteArray();
            line.reset();
            if (bytes.length == 0) {
                return;
            }
            if (startsWithPrefix(bytes)) {
                dropped++;
            } else {
                target.write(bytes, 0, bytes.length);
                target.flush();
            }
        }

        private boolean startsWithPrefix(byte[] bytes) {
            if (bytes.length < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (bytes[i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T rethrow(Throwable t) throws T {
        throw (T) t;
    }
}
