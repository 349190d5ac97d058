package io.github.dl4jcosine.examples;

import io.github.dl4jcosine.schedule.LinearWarmupSchedule;
import io.github.dl4jcosine.schedule.PlateauSchedule;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --schedule plateau}: warmup, then reduce on plateau of the test loss, alone and in compare mode. */
class PlateauExamplesTest {

    private static Map<String, String> options(String... args) {
        return new HashMap<>(Flags.parse(args, TrainCifar10.FLAGS, "TrainCifar10", ""));
    }

    @Test
    void factoryBuildsWarmupThenPlateau() throws IOException {
        Map<String, String> opts = options("--warmup-epochs", "2", "--plateau-patience", "3", "--plateau-factor", "0.2",
                "--min-lr", "1e-5");
        assertEquals(PlateauSchedule.builder(new LinearWarmupSchedule(ScheduleType.EPOCH, 2, 0.0,
                        new FixedSchedule(0.05), 7)).patience(3).factor(0.2).minValue(1e-5).build(),
                TrainCifar10.schedule(opts, "plateau", 10, 7));
    }

    /**
     * Three epochs of 4 updates on generated Fashion-MNIST files: the test loss is reported after each epoch (the
     * saved model's schedule says so), and every rate the run recorded is the schedule's value at that update, the
     * reductions it made included; in compare mode each run drives its own schedule.
     */
    @Test
    void runReportsTheTestLossAndRecordsTheAppliedRates(@TempDir Path dir) throws IOException {
        ExamplesTest.writeIdx(dir.toFile(), "train", 40);
        ExamplesTest.writeIdx(dir.toFile(), "t10k", 20);
        File out = new File(dir.toFile(), "cmp");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Experiment.Result> results = TrainCifar10.run(options("--dataset", "fashion-mnist", "--fashion-dir",
                dir.toString(), "--epochs", "3", "--train-size", "40", "--test-size", "20", "--batch", "10",
                "--compare", "warmup-cosine,plateau", "--plateau-patience", "0", "--out",
                out.getPath()), new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Training plateau (2 of 2) for 3 epochs: Nesterovs, PlateauSchedule("), text);
        assertTrue(!text.contains("schedule check:"), "patience 0 can reduce epoch 3 of 3: " + text);

        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new File(out, "plateau/model.zip"), false);
        PlateauSchedule s = (PlateauSchedule) ((Nesterovs) ((BaseLayer) net.getLayerWiseConfigurations().getConf(0)
                .getLayer()).getIUpdater()).getLearningRateSchedule();
        assertEquals(12, s.getState().getLastReportIteration(), "a report after each epoch, the last at update 12");
        assertTrue(Double.isFinite(s.getState().getBest()), s.toString());
        double[] rates = results.get(1).learningRates;
        assertEquals(12, rates.length);
        for (int i = 0; i < rates.length; i++) {
            assertEquals(s.valueAt(i, i / 4), rates[i], 0.0, "update " + i + ": " + s);
        }
        MultiLayerNetwork cosine = ModelSerializer.restoreMultiLayerNetwork(new File(out, "warmup-cosine/model.zip"),
                false);
        assertEquals(3, cosine.getEpochCount());
    }
}
