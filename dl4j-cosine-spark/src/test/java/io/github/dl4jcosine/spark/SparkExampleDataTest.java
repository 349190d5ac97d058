package io.github.dl4jcosine.spark;

import org.apache.log4j.AppenderSkeleton;
import org.apache.log4j.Level;
import org.apache.log4j.Logger;
import org.apache.log4j.spi.LoggingEvent;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the Spark example sends its training data ({@link SparkFashionMnist#minibatches}): in order, whole, and without
 * tasks over Spark's 1000 KiB warning size, at a data size where the earlier way (an RDD made by {@code parallelize}
 * of the minibatches) does get the warning; and {@link QuietLogs}' levels.
 */
class SparkExampleDataTest {

    /** Warnings of Spark's TaskSetManager (where "contains a task of very large size" comes from). */
    private static final class Recorder extends AppenderSkeleton {
        final List<String> messages = new ArrayList<>();

        @Override
        protected synchronized void append(LoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                messages.add(event.getRenderedMessage());
            }
        }

        @Override
        public void close() {
        }

        @Override
        public boolean requiresLayout() {
            return false;
        }
    }

    private static JavaSparkContext sc;
    private static final Recorder TASKS = new Recorder();

    /**
     * Spark's start-up warnings (host name, Hadoop's native library) stay out of the build log; the TaskSetManager's
     * warnings go to the recorder only, where the tests assert on them.
     */
    @BeforeAll
    static void start() {
        Logger.getLogger("org.apache.spark").setLevel(Level.ERROR);
        Logger.getLogger("org.apache.hadoop").setLevel(Level.ERROR);
        Logger tasks = Logger.getLogger("org.apache.spark.scheduler.TaskSetManager");
        tasks.setLevel(Level.WARN);
        tasks.setAdditivity(false);
        tasks.addAppender(TASKS);
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("SparkExampleDataTest"));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /**
     * 50 minibatches of 16 Fashion-MNIST-sized examples (784 + 10 floats: 3,176 bytes each) in 2 partitions: 400
     * examples, about 1,270,000 bytes, per partition, over the 1000 KiB (1,024,000 bytes) Spark warns at.
     */
    @Test
    void minibatchesArriveInOrderWithoutLargeTasks() {
        int count = 50;
        int batch = 16;
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, count * batch + 7, 784),
                Nd4j.rand(DataType.FLOAT, count * batch + 7, 10));

        TASKS.messages.clear();
        List<DataSet> inTasks = ((DataSet) data.getRange(0, count * batch)).batchBy(batch);
        assertEquals(count, sc.parallelize(inTasks, 2).count());
        assertTrue(TASKS.messages.stream().anyMatch(m -> m.contains("contains a task of very large size")),
                "the control: minibatches inside the tasks: " + TASKS.messages);

        TASKS.messages.clear();
        JavaRDD<DataSet> rdd = SparkFashionMnist.minibatches(sc, data, count, batch, 2);
        assertEquals(2, rdd.getNumPartitions());
        List<DataSet> got = rdd.collect();
        assertEquals(count, got.size());
        for (int i = 0; i < count; i++) {
            DataSet expected = (DataSet) data.getRange(i * batch, (i + 1) * batch);
            assertEquals(expected.getFeatures(), got.get(i).getFeatures(), "features of minibatch " + i);
            assertEquals(expected.getLabels(), got.get(i).getLabels(), "labels of minibatch " + i);
        }
        assertEquals(count, rdd.count());
        assertEquals(List.of(), TASKS.messages);
    }

    @Test
    void quietLogsSetsSparksLevelAndRejectsAnUnknownOne() {
        QuietLogs.apply("error");
        assertTrue(Logger.getRootLogger().getAllAppenders().hasMoreElements());
        assertEquals(Level.WARN, Logger.getRootLogger().getLevel());
        for (String name : QuietLogs.SPARK_LOGGERS) {
            assertEquals(Level.ERROR, Logger.getLogger(name).getLevel(), name);
        }
        assertTrue(!Logger.getLogger("org.apache.spark.util.Utils").isEnabledFor(Level.WARN));   // the host name warning
        assertTrue(Logger.getLogger("io.github.dl4jcosine.listener").isEnabledFor(Level.WARN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuietLogs.apply("LOUD"));
        assertEquals("spark-log-level (LOUD) must be a log4j level: OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE or ALL",
                e.getMessage());
        QuietLogs.apply("WARN");
        assertEquals(Level.WARN, Logger.getLogger("org.apache.spark").getLevel());
        assertTrue(Logger.getLogger("org.apache.spark.util.Utils").isEnabledFor(Level.WARN));
    }
}
