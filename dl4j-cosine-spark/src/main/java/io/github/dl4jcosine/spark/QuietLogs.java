package io.github.dl4jcosine.spark;

import org.apache.log4j.ConsoleAppender;
import org.apache.log4j.Level;
import org.apache.log4j.Logger;
import org.apache.log4j.PatternLayout;

import java.util.List;
import java.util.Locale;

/**
 * Log levels for a run of the Spark example, so that it prints its own lines and real problems only. Spark 3.1 logs
 * through log4j 1.2, and so do DL4J and ND4J here (their SLF4J calls reach log4j through Spark's
 * {@code slf4j-log4j12}). Unconfigured (plain {@code java} on Maven's class path: no {@code log4j.properties}), log4j
 * prints "No appenders could be found" at the first log call and Spark then loads its own INFO profile: about 40
 * start-up lines and a warning for the host name. {@link #apply} gives log4j a console appender on standard error
 * if it has none, sets the root logger to WARN and Spark's, Hadoop's and Spark's shaded Jetty's loggers to the level
 * asked for. Under {@code spark-submit}, which has configured log4j already, only the levels change.
 */
final class QuietLogs {

    /** Loggers set to the Spark level: Spark, Hadoop (its native-library notice), Spark's shaded Jetty. */
    static final List<String> SPARK_LOGGERS = List.of("org.apache.spark", "org.apache.hadoop", "org.sparkproject");

    private QuietLogs() {
    }

    /**
     * @param sparkLevel a log4j level name (ERROR, WARN, INFO, DEBUG, ...; any case)
     * @throws IllegalArgumentException naming the flag if {@code sparkLevel} is not a log4j level
     */
    static void apply(String sparkLevel) {
        Level level = Level.toLevel(sparkLevel.toUpperCase(Locale.ROOT), null);
        if (level == null) {
            throw new IllegalArgumentException("spark-log-level (" + sparkLevel + ") must be a log4j level: OFF, FATAL,"
                    + " ERROR, WARN, INFO, DEBUG, TRACE or ALL");
        }
        Logger root = Logger.getRootLogger();
        if (!root.getAllAppenders().hasMoreElements()) {
            root.addAppender(new ConsoleAppender(new PatternLayout("%p %c{1}: %m%n"), ConsoleAppender.SYSTEM_ERR));
        }
        root.setLevel(Level.WARN);
        for (String name : SPARK_LOGGERS) {
            Logger.getLogger(name).setLevel(level);
        }
    }
}
