package io.github.dl4jcosine.examples;

import io.github.dl4jcosine.examples.data.IdxReader;
import io.github.dl4jcosine.examples.data.ImageData;
import io.github.dl4jcosine.examples.data.SyntheticCifar10;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.datasets.fetchers.DataSetType;
import org.deeplearning4j.datasets.iterator.impl.Cifar10DataSetIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The examples on tiny data: DL4J's CIFAR-10 loader on a generated PNG tree, the offline fallback, IDX files, outputs. */
class ExamplesTest {

    private final String defaultUrl = DL4JResources.getBaseDownloadURL();

    @AfterEach
    void restoreDl4jResources() {
        DL4JResources.resetBaseDirectoryLocation();
        DL4JResources.setBaseDownloadURL(defaultUrl);
    }

    /** DL4J's own Cifar10DataSetIterator reads the generated tree: 10 labels from the folder names, 32x32 RGB. */
    @Test
    void generatedTreeThroughDl4jLoader(@TempDir Path dir) throws IOException {
        SyntheticCifar10.write(new File(dir.toFile(), "data/cifar10"), 3, 2, 1);
        DL4JResources.setBaseDirectory(dir.toFile());
        Cifar10DataSetIterator train = new Cifar10DataSetIterator(10, null, DataSetType.TRAIN, null, 1);
        DataSet batch = train.next();
        assertArrayEquals(new long[] {10, 3, 32, 32}, batch.getFeatures().shape());
        assertArrayEquals(new long[] {10, 10}, batch.getLabels().shape());
        int examples = batch.numExamples();
        while (train.hasNext()) {
            examples += train.next().numExamples();
        }
        assertEquals(30, examples);
        assertEquals(10, train.getLabels().size());

        ImageData data = ImageData.cifar10(dir.toFile(), new File(dir.toFile(), "unused"), 20, 20, 10, 1, System.out);
        DataSet scaled = data.train().next();
        assertTrue(scaled.getFeatures().maxNumber().doubleValue() <= 1.0, "pixels scaled to [0, 1]");
        assertTrue(scaled.getFeatures().maxNumber().doubleValue() > 0.5);
        assertEquals(2, data.iterationsPerEpoch());
        assertTrue(data.description().startsWith("CIFAR-10 from "));
    }

    /**
     * Offline (the download address refuses connections): one clear line, then a synthetic tree read through the
     * same loader; the shipped configuration JSON trains on it for one epoch.
     */
    @Test
    void offlineFallbackAndShippedConfiguration(@TempDir Path dir) throws IOException {
        DL4JResources.setBaseDownloadURL("http://127.0.0.1:9/");
        File out = new File(dir.toFile(), "run");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Map<String, String> opts = options("--data-dir", new File(dir.toFile(), "empty").getPath(), "--epochs", "1",
                "--train-size", "20", "--test-size", "10", "--batch", "10", "--out", out.getPath(),
                "--config", new File("src/main/resources/cifar10-cnn-warmup-cosine.json").getPath());
        opts.put("synthetic-dir", new File(dir.toFile(), "synthetic").getPath());
        List<Experiment.Result> results = TrainCifar10.run(opts, new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("CIFAR-10 is not cached and could not be downloaded ("), text);
        assertTrue(text.contains("using a synthetic CIFAR-shaped data set in"), text);
        assertTrue(text.contains("WarmupCosineSchedule(peakValue=0.002"), text);
        assertTrue(new File(dir.toFile(), "synthetic/data/cifar10/train/9").isDirectory());
        assertEquals(1, results.get(0).epochs.size());
        assertOutputs(out);
    }

    /** Fashion-MNIST path on tiny generated IDX files, one epoch: every output file, valid PNGs. */
    @Test
    void fashionMnistRunWritesEverything(@TempDir Path dir) throws IOException {
        writeIdx(dir.toFile(), "train", 40);
        writeIdx(dir.toFile(), "t10k", 20);
        File out = new File(dir.toFile(), "out");
        List<Experiment.Result> results = TrainCifar10.run(options("--dataset", "fashion-mnist", "--fashion-dir",
                dir.toString(), "--epochs", "1", "--train-size", "40", "--test-size", "20", "--batch", "10",
                "--schedule", "cosine", "--out", out.getPath()), quiet());
        assertOutputs(out);
        List<String> metrics = Files.readAllLines(new File(out, "metrics.csv").toPath());
        assertEquals("epoch,iterations,learningRate,trainLoss,testAccuracy,seconds", metrics.get(0));
        assertEquals(2, metrics.size());
        assertTrue(metrics.get(1).startsWith("1,4,"), metrics.get(1));
        assertEquals(4, results.get(0).learningRates.length);
        // cosine 0.05 -> 0 over 1 epoch of 4 updates, fractional: the first update gets the peak
        assertEquals(0.05, results.get(0).learningRates[0], 1e-15);
    }

    /** Compare mode: the table has one row per schedule, and the overlay charts are valid PNGs. */
    @Test
    void compareTable(@TempDir Path dir) throws IOException {
        writeIdx(dir.toFile(), "train", 20);
        writeIdx(dir.toFile(), "t10k", 10);
        File out = new File(dir.toFile(), "cmp");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainCifar10.run(options("--dataset", "fashion-mnist", "--fashion-dir", dir.toString(), "--epochs", "1",
                "--train-size", "20", "--test-size", "10", "--batch", "10", "--compare", "fixed,cosine",
                "--out", out.getPath()), new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("schedule         final accuracy best accuracy   time (s)"), text);
        assertTrue(text.contains("\nfixed "), text);
        assertTrue(text.contains("\ncosine "), text);
        assertValidPng(new File(out, "compare-lr.png"));
        assertValidPng(new File(out, "compare-accuracy.png"));
        assertEquals(3, Files.readAllLines(new File(out, "compare.csv").toPath()).size());
        assertOutputs(new File(out, "cosine"));
    }

    /**
     * What a run prints without a terminal (CI, pipes): progress lines in plain ASCII without carriage returns or
     * escape codes, the rate the updates applied (never NaN), and the overall ETA in compare mode.
     */
    @Test
    void progressInLogsAndAppliedRate(@TempDir Path dir) throws IOException {
        writeIdx(dir.toFile(), "train", 40);
        writeIdx(dir.toFile(), "t10k", 10);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainCifar10.run(options("--dataset", "fashion-mnist", "--fashion-dir", dir.toString(), "--epochs", "2",
                "--train-size", "40", "--test-size", "10", "--batch", "10", "--compare", "fixed,cosine",
                "--out", new File(dir.toFile(), "cmp").getPath()), new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), "carriage return in a non-interactive log");
        assertFalse(text.contains("\u001b"), "escape code in a non-interactive log");
        assertFalse(text.contains("NaN"), text);
        assertTrue(text.chars().allMatch(c -> c < 128), "ASCII only");
        // the bar's final line for each epoch: 40 of 40 images, a rate in images per second
        assertTrue(text.contains("cosine epoch 2/2 100%"), text);
        assertTrue(text.contains("40/40 img"), text);
        assertTrue(text.contains("img/s"), text);
        // the updater as DL4J applies it, not its toString (learningRate=NaN)
        assertTrue(text.contains("Training cosine (2 of 2) for 2 epochs: Nesterovs, CosineAnnealingSchedule("), text);
        assertTrue(text.contains("lr 0.05000 at the first update"), text);
        assertFalse(text.contains("learningRate="), text);
        // compare mode: epochs over all runs and an overall ETA after every epoch
        assertTrue(text.contains("(all runs: 1/4 epochs, ETA "), text);
        assertTrue(text.contains("(all runs: 4/4 epochs, ETA 0:00:00)"), text);
        // fractional cosine 0.05 -> 0 over 2 epochs of 4 updates: the last update of epoch 1 is at t = 3/4,
        // 0.05 * (1 + cos(pi * 3/8)) / 2 = 0.0345671 (the printed value: 4 significant digits)
        assertTrue(text.contains("cosine epoch 1/2: iteration 4, ") && text.contains("lr 0.03457 (last update)"), text);
    }

    /** Earlier results are never overwritten silently; a --config run gets a folder named after the config. */
    @Test
    void outputFolderIsNamedAndNeverSilentlyReused(@TempDir Path dir) throws IOException {
        Map<String, String> config = options("--config", "some/where/my-net.json");
        assertEquals(new File("output/my-net"), TrainCifar10.outputFolder(config, "cifar10", false));
        assertEquals(new File("output/fashion-mnist-cosine"),
                TrainCifar10.outputFolder(options("--schedule", "cosine"), "fashion-mnist", false));
        assertEquals(new File("output/cifar10-compare"),
                TrainCifar10.outputFolder(options("--compare", "fixed,cosine"), "cifar10", true));

        File used = new File(dir.toFile(), "used");
        assertTrue(new File(used, "metrics.csv").mkdirs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainCifar10.outputFolder(options("--out", used.getPath()), "cifar10", false));
        assertEquals("output folder " + used + " already holds results (metrics.csv): pass --overwrite to replace"
                + " them, or --out another folder", e.getMessage());
        assertEquals(used, TrainCifar10.outputFolder(options("--out", used.getPath(), "--overwrite"), "cifar10",
                false));
        assertEquals(used, TrainCifar10.outputFolder(options("--overwrite", "--out", used.getPath()), "cifar10",
                false));
        File empty = new File(dir.toFile(), "empty");
        assertTrue(empty.mkdirs());
        assertEquals(empty, TrainCifar10.outputFolder(options("--out", empty.getPath()), "cifar10", false));
    }

    /** --help: each default once, and step described for the epochs given. */
    @Test
    void helpStatesDefaultsOnceAndStepForTheEpochs() {
        String help = help("--epochs", "8", "--help");
        for (String line : help.split("\n")) {
            int first = line.indexOf("default");
            assertTrue(first < 0 || line.indexOf("default", first + 1) < 0, "default twice: " + line);
            assertFalse(line.contains("(default: )") || line.contains("default: none"), line);
        }
        assertTrue(help.contains("--epochs                 training epochs (default: 3)"), help);
        // MapSchedule x0.1 at epoch 8/2 = 4 and x0.01 at 8*3/4 = 6 (0-based) -> 1-based epochs 1-4, 5-6, 7-8
        assertTrue(help.contains("With --epochs 8 --lr 0.05, step runs: 0.05 in epochs 1-4; 0.005 in epochs 5-6;"
                + " 0.0005 in epochs 7-8."), help);
        // 3 epochs: x0.1 at max(1, 3/2) = 1 and x0.01 at max(2, 9/4) = 2 (0-based)
        assertTrue(help("--help").contains("With --epochs 3 --lr 0.05, step runs: 0.05 in epoch 1; 0.005 in epoch 2;"
                + " 0.0005 in epoch 3."));
    }

    /** Tick labels: a leading zero, enough decimals, scientific for tiny rates. */
    @Test
    void chartTickPatterns() {
        java.text.DecimalFormat lr = new java.text.DecimalFormat(Charts.decimalPattern(0.05),
                java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT));
        assertEquals("0.05", lr.format(0.05));
        assertEquals("0.005", lr.format(0.005));
        assertEquals("0.0", lr.format(0.0));
        java.text.DecimalFormat acc = new java.text.DecimalFormat(Charts.decimalPattern(0.9),
                java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT));
        assertEquals("0.35", acc.format(0.35));
        assertFalse(Charts.decimalPattern(2e-5).startsWith("#"));
        assertEquals("#,##0.##", Charts.decimalPattern(11_700));
    }

    private static String help(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertNull(Flags.parse(args, TrainCifar10.FLAGS, "TrainCifar10", "", TrainCifar10::helpNotes));
        } finally {
            System.setOut(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void previewWritesCsvAndPng(@TempDir Path dir) throws IOException {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            PreviewSchedule.main(new String[] {"--schedule", "restarts", "--epochs", "7", "--iterations-per-epoch",
                "10", "--restart-period", "1", "--out", dir.toString()});
        } finally {
            System.setOut(saved);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Seam check: 2 jump(s)"), text);   // restarts at epochs 1 and 3 (cycles 1, 2, 4)
        assertEquals(71, Files.readAllLines(dir.resolve("preview.csv")).size());
        assertValidPng(dir.resolve("preview.png").toFile());
        assertTrue(Files.readString(dir.resolve("schedule.json")).contains("CosineWarmRestartsSchedule"));
    }

    @Test
    void idxReader(@TempDir Path dir) throws IOException {
        writeIdx(dir.toFile(), "train", 3);
        DataSet ds = IdxReader.read(new File(dir.toFile(), "train-images-idx3-ubyte.gz"),
                new File(dir.toFile(), "train-labels-idx1-ubyte.gz"), 100, 10);
        assertArrayEquals(new long[] {3, 1, 28, 28}, ds.getFeatures().shape());
        // example i has pixel value (i * 40 + p) % 256 at position p, label i % 10
        assertEquals(40 / 255.0, ds.getFeatures().getDouble(1, 0, 0, 0), 1e-6);
        assertEquals(1.0, ds.getLabels().getDouble(2, 2), 0.0);
        assertEquals(1.0, ds.getLabels().sumNumber().doubleValue() / 3, 0.0);
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(new File(dir.toFile(),
                "train-labels-idx1-ubyte.gz"), new File(dir.toFile(), "train-labels-idx1-ubyte.gz"), 1, 10));
        assertTrue(e.getMessage().endsWith("magic number 2049, expected 2051 (not an IDX file?)"), e.getMessage());
    }

    @Test
    void rejectsBadFlags() {
        assertThrows(IllegalArgumentException.class, () -> Flags.parse(new String[] {"--nope", "1"}, TrainCifar10.FLAGS,
                "x", "y"));
        assertThrows(IllegalArgumentException.class, () -> Flags.parse(new String[] {"--epochs"}, TrainCifar10.FLAGS,
                "x", "y"));
        assertThrows(IllegalArgumentException.class, () -> TrainCifar10.run(options("--epochs", "0"), quiet()));
    }

    private static Map<String, String> options(String... args) {
        return new HashMap<>(Flags.parse(args, TrainCifar10.FLAGS, "TrainCifar10", ""));
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static void assertOutputs(File out) throws IOException {
        for (String name : Arrays.asList("config.json", "metrics.csv", "lr.csv", "model.zip")) {
            assertTrue(new File(out, name).length() > 0, name);
        }
        for (String name : Arrays.asList("lr.png", "accuracy.png", "loss.png")) {
            assertValidPng(new File(out, name));
        }
    }

    private static void assertValidPng(File png) throws IOException {
        byte[] head = Arrays.copyOf(Files.readAllBytes(png.toPath()), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head, png + " signature");
        BufferedImage image = ImageIO.read(png);
        assertNotNull(image, png + " decodes");
        assertEquals(900, image.getWidth());
    }

    /** MNIST-format files {@code <prefix>-images-idx3-ubyte.gz} / labels: n images 28x28, example i labelled i % 10. */
    static void writeIdx(File dir, String prefix, int n) throws IOException {
        try (DataOutputStream img = new DataOutputStream(new GZIPOutputStream(new FileOutputStream(
                new File(dir, prefix + "-images-idx3-ubyte.gz"))));
             DataOutputStream lab = new DataOutputStream(new GZIPOutputStream(new FileOutputStream(
                     new File(dir, prefix + "-labels-idx1-ubyte.gz"))))) {
            img.writeInt(2051);
            img.writeInt(n);
            img.writeInt(28);
            img.writeInt(28);
            lab.writeInt(2049);
            lab.writeInt(n);
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < 28 * 28; p++) {
                    img.writeByte((i * 40 + p) % 256);
                }
                lab.writeByte(i % 10);
            }
        }
    }
}
