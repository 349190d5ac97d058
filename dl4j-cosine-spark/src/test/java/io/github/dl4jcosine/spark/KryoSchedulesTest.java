package io.github.dl4jcosine.spark;

import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.CosineDecayRestartsSchedule;
import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import io.github.dl4jcosine.schedule.InverseTimeDecaySchedule;
import io.github.dl4jcosine.schedule.KerasSchedules;
import io.github.dl4jcosine.schedule.LinearSchedule;
import io.github.dl4jcosine.schedule.LinearWarmupSchedule;
import io.github.dl4jcosine.schedule.OneCycleSchedule;
import io.github.dl4jcosine.schedule.PolynomialDecaySchedule;
import io.github.dl4jcosine.schedule.ProductSchedule;
import io.github.dl4jcosine.schedule.SequentialSchedule;
import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule;
import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule.Shape;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.StepSchedule;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * Spark's {@code KryoSerializer} ({@code spark.serializer}; it serializes what a job broadcasts or collects: a
 * schedule, an updater, a configuration object) copies fields without running a constructor or
 * {@code readResolve}. Schedules whose derived state was {@code transient} came back broken: a
 * one-cycle gave NaN at update 0, a restart schedule and a product threw NullPointerException, a warmup and a WSD
 * gave 0. Every schedule class must come back equal and give the same value, bit for bit, at every update
 * checked, alone and inside an updater.
 */
class KryoSchedulesTest {

    private static final ClassTag<Object> ANY = ClassTag$.MODULE$.apply(Object.class);

    static Stream<ISchedule> schedules() {
        return Stream.of(
                new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 100),
                new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.001, 10, 1.0),
                new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, 2.0),
                new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 7, 1.001, 0.9, 0, 0),
                new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 3, 1.5, 1.0, 4, 10),
                new WarmupCosineSchedule(ITERATION, 0.1, 0.0, 0.0, 5, 100),
                new LinearSchedule(ITERATION, 0.0, 1.0, 100),
                new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 100, 0.3, false),
                new OneCycleSchedule(EPOCH, 0.004, 0.1, 4e-7, 10, 0.25, true, 10),
                new WarmupStableDecaySchedule(ITERATION, 0.1, 0.0, 0.0, 5, 10, 20, Shape.LINEAR, Shape.COSINE),
                new LinearWarmupSchedule(ITERATION, 5, 0.0, new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 100)),
                new SequentialSchedule(ITERATION, Arrays.asList(new LinearSchedule(ITERATION, 0.0, 0.1, 5),
                        new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, 2.0)), new int[] {5}),
                new ProductSchedule(new LinearSchedule(ITERATION, 0.01, 1.0, 5), new StepSchedule(ITERATION, 1.0, 0.5, 10),
                        new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 100, 0.3, false)),
                // the classes KerasSchedules adds (the restarts hold a derived cycle table, like the SGDR ones)
                new PolynomialDecaySchedule(ITERATION, 0.1, 1e-4, 7, 0.5, true, 0),
                new InverseTimeDecaySchedule(EPOCH, 0.1, 0.5, 2.5, true, 10),
                new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.01, 10, 2.0, 0.5, 0),
                new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.01, 3, 1.001, 0.9, 0),
                KerasSchedules.fromConfig("{\"class_name\": \"PiecewiseConstantDecay\", \"config\": {\"boundaries\":"
                        + " [10, 50], \"values\": [0.1, 0.01, 0.001]}}"));
    }

    @ParameterizedTest
    @MethodSource("schedules")
    void kryoCopiesGiveTheSameValues(ISchedule schedule) {
        SerializerInstance kryo = new KryoSerializer(new SparkConf()).newInstance();
        ISchedule copy = (ISchedule) kryo.deserialize(kryo.serialize(schedule, ANY), ANY);
        IUpdater updater = (IUpdater) kryo.deserialize(kryo.serialize(new Adam(schedule), ANY), ANY);
        assertEquals(schedule, copy);
        for (int iteration = 0; iteration < 120; iteration++) {
            int epoch = iteration / 10;
            double expected = schedule.valueAt(iteration, epoch);
            assertEquals(expected, copy.valueAt(iteration, epoch), 0.0, schedule + " at " + iteration);
            assertEquals(expected, updater.getLearningRate(iteration, epoch), 0.0, schedule + " in Adam at " + iteration);
        }
    }
}
