package io.github.dl4jcosine.schedule;

import io.github.dl4jcosine.check.ScheduleCheck;
import io.github.dl4jcosine.preview.SchedulePreview;
import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link KerasSchedules} returns in the rest of the library: horizons ({@link ScheduleInfo}), the schedule
 * check, previews, and exact resume from a saved model.
 */
class KerasSchedulesIntegrationTest {

    private static ISchedule keras(String className, String config) {
        return KerasSchedules.fromConfig("{\"class_name\": \"" + className + "\", \"config\": " + config + "}");
    }

    private static final String WARMUP_COSINE = "{\"initial_learning_rate\": 0.0, \"decay_steps\": 900,"
            + " \"alpha\": 0.0, \"warmup_target\": 0.1, \"warmup_steps\": 100}";
    private static final String RESTARTS = "{\"initial_learning_rate\": 0.05, \"first_decay_steps\": 2,"
            + " \"t_mul\": 2.0, \"m_mul\": 0.5, \"alpha\": 0.1}";
    private static final String PIECEWISE = "{\"boundaries\": [3, 7], \"values\": [0.05, 0.01, 0.002]}";
    private static final String POLYNOMIAL = "{\"initial_learning_rate\": 0.05, \"decay_steps\": 4,"
            + " \"end_learning_rate\": 0.001, \"power\": 0.5, \"cycle\": true}";

    /** Where Keras's schedule stops changing, in iterations (Keras counts steps, so the unit is ITERATION). */
    @Test
    void horizons() {
        assertEquals(OptionalDouble.of(1000), horizon("CosineDecay", WARMUP_COSINE));
        assertEquals(OptionalDouble.of(500), horizon("CosineDecay", "{\"initial_learning_rate\": 0.1,"
                + " \"decay_steps\": 500, \"alpha\": 0.0}"));
        assertEquals(OptionalDouble.of(8), horizon("PiecewiseConstantDecay", PIECEWISE));   // 0.002 from step 8 on
        assertEquals(OptionalDouble.of(2.5), horizon("PolynomialDecay", "{\"initial_learning_rate\": 0.05,"
                + " \"decay_steps\": 2.5, \"end_learning_rate\": 0.001, \"power\": 0.5, \"cycle\": false}"));
        assertEquals(OptionalDouble.of(40), horizon("PolynomialDecay", "{\"initial_learning_rate\": 0.05,"
                + " \"decay_steps\": 40, \"end_learning_rate\": 0.001, \"power\": 1.0, \"cycle\": false}"));
        // no end: cycles, restarts, exponential and inverse-time decay
        assertEquals(OptionalDouble.empty(), horizon("PolynomialDecay", POLYNOMIAL));
        assertEquals(OptionalDouble.empty(), horizon("CosineDecayRestarts", RESTARTS));
        assertEquals(OptionalDouble.empty(), horizon("ExponentialDecay", "{\"initial_learning_rate\": 0.1,"
                + " \"decay_steps\": 10, \"decay_rate\": 0.5, \"staircase\": true}"));
        assertEquals(OptionalDouble.empty(), horizon("InverseTimeDecay", "{\"initial_learning_rate\": 0.1,"
                + " \"decay_steps\": 10, \"decay_rate\": 0.5, \"staircase\": true}"));
    }

    private static OptionalDouble horizon(String className, String config) {
        return ScheduleInfo.horizonInIterations(keras(className, config), 100);
    }

    /**
     * The schedule check knows a Keras schedule's horizon: a CosineDecay of 90 steps in a 90-epoch run of 390
     * iterations per epoch (decay_steps meant as epochs) is an ERROR; one sized to the run passes.
     */
    @Test
    void scheduleCheckSeesTheHorizon() {
        List<ScheduleCheck.Finding> wrong = ScheduleCheck.forTraining(90, 390).check(keras("CosineDecay",
                "{\"initial_learning_rate\": 0.1, \"decay_steps\": 90, \"alpha\": 0.0}"));
        assertEquals(1, wrong.size(), wrong.toString());
        assertEquals(ScheduleCheck.Severity.ERROR, wrong.get(0).severity());
        assertTrue(wrong.get(0).message().contains("ends at iteration 90"), wrong.get(0).message());
        assertEquals(List.of(), ScheduleCheck.forTraining(90, 390).check(keras("CosineDecay",
                "{\"initial_learning_rate\": 0.1, \"decay_steps\": 35100, \"alpha\": 0.0}")));
    }

    @Test
    void previewGivesTheSameValues() {
        ISchedule s = keras("CosineDecayRestarts", RESTARTS);
        SchedulePreview preview = SchedulePreview.iterations(s, 40, 10);
        for (int i = 0; i < preview.size(); i++) {
            assertEquals(s.valueAt(preview.iteration(i), preview.epoch(i)), preview.value(i), 0.0);
        }
        assertTrue(preview.toCsv().startsWith("iteration,epoch,"), preview.toCsv());
    }

    /**
     * Train 5 epochs straight, or 2, save with ModelSerializer, restore, 3 more: the same parameters, Adam state and
     * counters, bit for bit, with a class of ours that holds a derived cycle table (CosineDecayRestartsSchedule) and
     * one of DL4J's (the MapSchedule of a PiecewiseConstantDecay). The classes reused from this library are covered by
     * ResumeIntegrationTest; every returned schedule's JSON/YAML round trip by KerasSchedulesTest.
     */
    @ParameterizedTest
    @ValueSource(strings = {"CosineDecayRestarts", "PiecewiseConstantDecay"})
    void resumesExactly(String className, @TempDir Path dir) throws Exception {
        ISchedule schedule = keras(className, className.equals("CosineDecayRestarts") ? RESTARTS : PIECEWISE);
        MultiLayerNetwork straight = TestNets.mln(TestNets.mlnConf(new Adam(schedule)));
        straight.fit(iterator(), 5);
        MultiLayerNetwork first = TestNets.mln(TestNets.mlnConf(new Adam(schedule)));
        first.fit(iterator(), 2);
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(first, file, true);
        MultiLayerNetwork resumed = ModelSerializer.restoreMultiLayerNetwork(file, true);
        resumed.fit(iterator(), 3);
        assertArrayEquals(straight.params().toDoubleVector(), resumed.params().toDoubleVector(), 0.0);
        assertArrayEquals(straight.getUpdater().getStateViewArray().toDoubleVector(),
                resumed.getUpdater().getStateViewArray().toDoubleVector(), 0.0);
        assertEquals(straight.getIterationCount(), resumed.getIterationCount());
        assertEquals(schedule.valueAt(straight.getIterationCount(), 0), straight.getLearningRate(0), 0.0);
        assertEquals(straight.getLearningRate(1), resumed.getLearningRate(1), 0.0);
    }

    /** 12 examples in minibatches of 4: 3 iterations per epoch, 15 in the 5 epochs (past the restarts at 2, 6, 14). */
    private static DataSetIterator iterator() {
        return new ListDataSetIterator<>(TestNets.data().asList(), 4);
    }
}
