package io.github.dl4jcosine.internal;

import org.slf4j.Logger;

import java.io.PrintStream;

/**
 * An ERROR that reaches the user even when SLF4J drops it: DL4J ships no SLF4J binding, and without one
 * SLF4J's NOP logger discards every call, so the message is printed to a stream as well.
 */
public final class ErrorReports {

    private ErrorReports() {
    }

    /** Whether {@code log} drops errors (no SLF4J binding, or error level disabled). */
    public static boolean dropsErrors(Logger log) {
        return !log.isErrorEnabled();
    }

    /**
     * Logs {@code message} (and {@code cause}, if not null) at error level; when {@code log} drops errors, prints
     * {@code printPrefix + message} to {@code err}.
     */
    public static void error(Logger log, String message, Throwable cause, String printPrefix, PrintStream err) {
        log.error(message, cause);
        if (dropsErrors(log)) {
            err.println(printPrefix + message);
        }
    }
}
