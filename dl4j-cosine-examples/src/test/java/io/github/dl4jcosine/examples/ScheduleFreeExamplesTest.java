package io.github.dl4jcosine.examples;

import io.github.dl4jcosine.schedulefree.ScheduleFreeAdamW;
import io.github.dl4jcosine.schedulefree.ScheduleFreeSgd;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code schedulefree} as a schedule name (compare mode) and as {@code --optimizer}: no schedule, evaluated at x. */
class ScheduleFreeExamplesTest {

    private static Map<String, String> options(String... args) {
        return new HashMap<>(Flags.parse(args, TrainCifar10.FLAGS, "TrainCifar10", ""));
    }

    /** adam + schedulefree entry: ScheduleFreeAdamW at --lr with a warmup of warmup-epochs x iterations per epoch. */
    @Test
    void compareModeTrainsScheduleFreeBesideASchedule(@TempDir Path dir) throws IOException {
        ExamplesTest.writeIdx(dir.toFile(), "train", 40);
        ExamplesTest.writeIdx(dir.toFile(), "t10k", 10);
        File out = new File(dir.toFile(), "cmp");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Experiment.Result> results = TrainCifar10.run(options("--dataset", "fashion-mnist", "--fashion-dir",
                dir.toString(), "--epochs", "2", "--train-size", "40", "--test-size", "10", "--batch", "10",
                "--optimizer", "adam", "--lr", "0.003", "--compare", "warmup-cosine,schedulefree", "--out", out.getPath()),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Training schedulefree (2 of 2) for 2 epochs: ScheduleFreeAdamW(learningRate=0.003,"),
                text);
        assertTrue(text.contains("warmupSteps=4,"), text);
        assertTrue(text.contains("no schedule (evaluated at the averaged weights)"), text);
        assertTrue(text.contains("\nschedulefree "), text);
        assertEquals(2, results.size());
        assertEquals(results.get(0).epochs.get(1).iterations, results.get(1).epochs.get(1).iterations, "same budget");
        // warmup over the first epoch's 4 updates: 0.003 * 1/4 ... 0.003, then 0.003
        assertEquals(0.003 / 4, results.get(1).learningRates[0], 1e-18);
        assertEquals(0.003, results.get(1).learningRates[7], 0.0);

        File run = new File(out, "schedulefree");
        MultiLayerNetwork atY = ModelSerializer.restoreMultiLayerNetwork(new File(run, "model.zip"), true);
        MultiLayerNetwork atX = ModelSerializer.restoreMultiLayerNetwork(new File(run, "model-x.zip"), false);
        assertFalse(atY.params().equals(atX.params()), "model-x.zip holds the averaged weights");
        assertFalse(new File(new File(out, "warmup-cosine"), "model-x.zip").exists());
    }

    @Test
    void optimizerFlagChoosesTheUpdater() throws IOException {
        Map<String, String> opts = options("--optimizer", "schedulefree", "--lr", "0.01", "--warmup-epochs", "2");
        MultiLayerConfiguration conf = Experiment.cnnFor(28, 28, 1,
                Experiment.scheduleFree(opts.get("optimizer"), 0.01, 2 * 7), 1);
        assertEquals(ScheduleFreeAdamW.builder().learningRate(0.01).warmupSteps(14).build(),
                ((BaseLayer) conf.getConf(0).getLayer()).getIUpdater());
        assertTrue(Experiment.scheduleFree(conf));
        assertEquals(ScheduleFreeSgd.builder().learningRate(0.05).momentum(0.9).warmupSteps(3).build(),
                Experiment.scheduleFree("nesterovs", 0.05, 3));
        assertFalse(Experiment.scheduleFree(Experiment.cnnFor(28, 28, 1,
                Experiment.updater("adam", new org.nd4j.linalg.schedule.FixedSchedule(0.01), 0.9), 1)));
    }
}
