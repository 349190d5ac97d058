package io.github.dl4jcosine.examples;

import io.github.dl4jcosine.finder.LearningRateFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --find-lr}, {@code --lr auto} and the range-test chart, on tiny generated Fashion-MNIST files. */
class RangeTestExamplesTest {

    private static Map<String, String> options(String... args) {
        return new HashMap<>(Flags.parse(args, TrainCifar10.FLAGS, "TrainCifar10", ""));
    }

    private static String run(Map<String, String> opts) throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainCifar10.run(opts, new PrintStream(log, true, StandardCharsets.UTF_8));
        return log.toString(StandardCharsets.UTF_8);
    }

    private static void assertPng(File png) throws IOException {
        BufferedImage image = ImageIO.read(png);
        assertNotNull(image, png + " is a PNG");
        assertEquals(900, image.getWidth());
        assertEquals(500, image.getHeight());
    }

    /** The curve the CSV holds, analyzed again with the same settings (30 steps, the defaults otherwise). */
    private static LearningRateFinder.Result fromCsv(File csv) throws IOException {
        List<String> lines = Files.readAllLines(csv.toPath());
        assertEquals("update,learningRate,loss,smoothedLoss", lines.get(0));
        double[] losses = new double[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            losses[i - 1] = Double.parseDouble(lines.get(i).split(",")[2]);
        }
        return LearningRateFinder.builder().steps(30).build().analyze(losses);
    }

    @Test
    void findLrPrintsTheSuggestionsAndWritesTheCurveWithoutTraining(@TempDir Path dir) throws IOException {
        ExamplesTest.writeIdx(dir.toFile(), "train", 40);
        ExamplesTest.writeIdx(dir.toFile(), "t10k", 10);
        File out = new File(dir.toFile(), "find");
        String text = run(options("--dataset", "fashion-mnist", "--fashion-dir", dir.toString(), "--train-size", "40",
                "--test-size", "10", "--batch", "10", "--find-lr", "--find-steps", "30", "--out", out.getPath()));
        assertTrue(text.contains("Range test: up to 30 updates, rate 1e-07 -> 1e+01 (Nesterovs)"), text);
        LearningRateFinder.Result r = fromCsv(new File(out, "lr-finder.csv"));
        assertTrue(text.contains(RangeTest.summary(r, 0).split("\n", 2)[1]), "the three suggestion lines:\n" + text);
        assertPng(new File(out, "lr-finder.png"));
        assertFalse(new File(out, "metrics.csv").exists(), "--find-lr does not train");
        assertTrue(text.endsWith("Output in " + out.getPath() + ": lr-finder.csv, lr-finder.png\n"), text);
    }

    @Test
    void lrAutoTrainsWithTheSteepestSuggestionAsThePeak(@TempDir Path dir) throws IOException {
        ExamplesTest.writeIdx(dir.toFile(), "train", 40);
        ExamplesTest.writeIdx(dir.toFile(), "t10k", 10);
        File out = new File(dir.toFile(), "auto");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Experiment.Result> results = TrainCifar10.run(options("--dataset", "fashion-mnist", "--fashion-dir",
                dir.toString(), "--train-size", "40", "--test-size", "10", "--batch", "10", "--epochs", "1",
                "--schedule", "fixed", "--lr", "auto", "--find-steps", "30", "--out", out.getPath()),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        double steepest = fromCsv(new File(out, "lr-finder.csv")).suggestion().getAsDouble();
        assertTrue(text.contains("--lr auto: peak learning rate " + steepest + " (STEEPEST)"), text);
        assertEquals(steepest, results.get(0).learningRates[0], "the fixed schedule runs at the suggested rate");
        assertTrue(new File(out, "metrics.csv").isFile());
        assertPng(new File(out, "lr-finder.png"));
    }

    @Test
    void lrAutoNeedsABuiltInSchedule(@TempDir Path dir) throws IOException {
        ExamplesTest.writeIdx(dir.toFile(), "train", 10);
        ExamplesTest.writeIdx(dir.toFile(), "t10k", 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(options("--dataset",
                "fashion-mnist", "--fashion-dir", dir.toString(), "--train-size", "10", "--test-size", "10", "--batch",
                "10", "--lr", "auto", "--config", "src/main/resources/cifar10-cnn-warmup-cosine.json", "--out",
                new File(dir.toFile(), "x").getPath())));
        assertTrue(e.getMessage().startsWith("lr (auto) sets the peak of a built-in schedule"), e.getMessage());
    }

    /** A curve without a finite loss still gives a chart (that says so), and the summary has no suggestion. */
    @Test
    void chartOfACurveWithoutFiniteLoss(@TempDir Path dir) throws IOException {
        LearningRateFinder.Result nan = LearningRateFinder.builder().build().analyze(new double[] {Double.NaN});
        File png = RangeTestChart.write(new File(dir.toFile(), "nan"), "t", nan);
        assertPng(png);
        assertTrue(RangeTest.summary(nan, 1).contains("STEEPEST  none (too few usable points)"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RangeTest.steepest(nan));
        assertTrue(e.getMessage().startsWith("--lr auto: the range test gave no STEEPEST suggestion (1 updates"),
                e.getMessage());

        double[] losses = new double[60];
        for (int k = 0; k < 60; k++) {
            losses[k] = k < 50 ? 2.3 - 0.03 * k : Math.pow(3, k - 45);
        }
        File curve = RangeTestChart.write(new File(dir.toFile(), "curve.png"), "t",
                LearningRateFinder.builder().steps(60).build().analyze(losses));
        assertPng(curve);
        assertEquals("STEEPEST 0.0032", RangeTestChart.label(LearningRateFinder.Suggestion.STEEPEST, 0.00316));
    }
}
