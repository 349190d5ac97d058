package io.github.dl4jcosine.spark;

import io.github.dl4jcosine.examples.Flags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark example end to end in {@code local[2]} on small IDX files written here in Fashion-MNIST's format
 * (the real files are read by the same code; the build does not need them).
 */
class SparkFashionMnistTest {

    /** Writes {@code n} random 28x28 images and labels as gzip IDX files named like Fashion-MNIST's. */
    private static void writeIdx(File dir, String prefix, int n, long seed) throws IOException {
        Random rnd = new Random(seed);
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
            byte[] pixels = new byte[28 * 28];
            for (int i = 0; i < n; i++) {
                rnd.nextBytes(pixels);
                img.write(pixels);
                lab.writeByte(rnd.nextInt(10));
            }
        }
    }

    private static Map<String, String> flags(File data, File out) {
        Map<String, String> opts = new HashMap<>();
        SparkFashionMnist.FLAGS.forEach((name, spec) -> opts.put(name, spec[0]));
        opts.put("master", "local[2]");
        opts.put("fashion-dir", data.getPath());
        opts.put("train-size", "70");
        opts.put("test-size", "16");
        opts.put("epochs", "2");
        opts.put("batch-per-worker", "8");
        opts.put("averaging-frequency", "2");
        opts.put("lr", "0.01");
        opts.put("out", out.getPath());
        return opts;
    }

    @Test
    void trainsWithTheScheduleInSparksUnitsAndWritesItsOutput(@TempDir File dir) throws IOException {
        File data = new File(dir, "fashion");
        assertTrue(data.mkdir());
        writeIdx(data, "train", 80, 1);
        writeIdx(data, "t10k", 20, 2);
        File out = new File(dir, "out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        double accuracy = SparkFashionMnist.run(flags(data, out), new PrintStream(log, true, StandardCharsets.UTF_8));

        // 70 of the 80 examples asked for, rounded down to a multiple of 8 x 2 workers x 2 = 32: 64 examples,
        // 64 / (8 x 2) = 4 iterations per epoch (two averaging steps of 2 minibatches per worker).
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("2 workers: 64 training examples") && text.contains("4 iterations per epoch"), text);
        // Warmup 0.001 -> 0.01 over epoch 0, cosine 0.01 -> 0 over epoch 1, t = iteration / 4:
        // epoch 0: k = 0 -> 0.001, k = 3 -> 0.001 + 0.009 x 3/4 = 0.00775;
        // epoch 1: k = 4 -> 0.01, k = 7 -> 0.005 (1 + cos(pi 3/4)) = 0.005 (1 - sqrt(2)/2) = 0.0014644660940672626
        List<String> csv = Files.readAllLines(new File(out, "epochs.csv").toPath());
        assertEquals("epoch,iterations,learningRateFirst,learningRateLast,testAccuracy,seconds", csv.get(0));
        assertEquals(3, csv.size(), csv::toString);
        double[][] expected = {{4, 0.001, 0.00775}, {8, 0.01, 0.0014644660940672626}};
        for (int e = 0; e < 2; e++) {
            String[] f = csv.get(e + 1).split(",");
            assertEquals(e + 1, Integer.parseInt(f[0]), "epochs counted from 1, as on the console");
            assertEquals((int) expected[e][0], Integer.parseInt(f[1]), "iterations after epoch " + e);
            assertEquals(expected[e][1], Double.parseDouble(f[2]), 1e-15, "rate at the epoch's first update");
            assertEquals(expected[e][2], Double.parseDouble(f[3]), 1e-15, "rate at the epoch's last update");
        }
        assertTrue(accuracy >= 0 && accuracy <= 1);
        assertTrue(new File(out, "model.zip").length() > 0);
        File[] leftovers = out.listFiles((d, name) -> name.endsWith(".tmp"));
        assertEquals(0, leftovers.length, "no temporary files left");
    }

    @Test
    void missingDataNamesThePackageAndBadFlagsNameTheRule(@TempDir File dir) {
        File out = new File(dir, "out");
        IOException missing = assertThrows(IOException.class, () -> SparkFashionMnist.run(flags(dir, out), System.out));
        assertTrue(missing.getMessage().contains("apt-get install dataset-fashion-mnist"), missing.getMessage());

        Map<String, String> opts = flags(dir, out);
        opts.put("warmup-epochs", "2");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> SparkFashionMnist.run(opts, System.out));
        assertEquals("warmup-epochs (2) must be >= 0 and < epochs (2)", bad.getMessage());

        opts.put("epochs", "0");   // the examples module's rule and wording
        bad = assertThrows(IllegalArgumentException.class, () -> SparkFashionMnist.run(opts, System.out));
        assertEquals("epochs (0) must be >= 1", bad.getMessage());
    }

    /**
     * Earlier results are never overwritten silently, as in the examples module's TrainCifar10: a folder that holds
     * files is refused before anything is read or Spark starts, and accepted with --overwrite (given before or after
     * --out), which here gets as far as the missing data (so no Spark run either).
     */
    @Test
    void nonEmptyOutputFolderIsRefusedWithoutOverwrite(@TempDir File dir) throws IOException {
        File out = new File(dir, "out");
        assertTrue(out.mkdir());
        Files.writeString(new File(out, "model.zip").toPath(), "earlier model");
        Files.writeString(new File(out, "epochs.csv").toPath(), "earlier epochs");
        Map<String, String> opts = parse("--fashion-dir", dir.getPath(), "--out", out.getPath());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SparkFashionMnist.run(opts, System.out));
        assertEquals("output folder " + out + " already holds results (epochs.csv, model.zip): pass --overwrite to"
                + " replace them, or --out another folder", refused.getMessage());
        assertEquals("earlier model", Files.readString(new File(out, "model.zip").toPath()));
        assertEquals(2, out.list().length, "the refused run left the folder as it was");

        for (String[] args : List.of(
                new String[] {"--fashion-dir", dir.getPath(), "--out", out.getPath(), "--overwrite"},
                new String[] {"--overwrite", "--fashion-dir", dir.getPath(), "--out", out.getPath()})) {
            IOException missing = assertThrows(IOException.class, () -> SparkFashionMnist.run(parse(args), System.out));
            assertTrue(missing.getMessage().startsWith("no Fashion-MNIST IDX files"), missing.getMessage());
        }

        // More than five files: the first five by name, then "..."; an empty folder needs no flag.
        File many = new File(dir, "many");
        assertTrue(many.mkdir());
        for (String name : List.of("f", "e", "d", "c", "b", "a")) {
            Files.writeString(new File(many, name).toPath(), name);
        }
        refused = assertThrows(IllegalArgumentException.class,
                () -> SparkFashionMnist.run(parse("--fashion-dir", dir.getPath(), "--out", many.getPath()),
                        System.out));
        assertEquals("output folder " + many + " already holds results (a, b, c, d, e, ...): pass --overwrite to"
                + " replace them, or --out another folder", refused.getMessage());
        File empty = new File(dir, "empty");
        assertTrue(empty.mkdir());
        IOException missing = assertThrows(IOException.class, () -> SparkFashionMnist.run(
                parse("--fashion-dir", dir.getPath(), "--out", empty.getPath()), System.out));
        assertTrue(missing.getMessage().startsWith("no Fashion-MNIST IDX files"), missing.getMessage());
    }

    /** --help lists --overwrite (a switch: no default shown) and trains nothing. */
    @Test
    void helpListsOverwrite() throws IOException {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            SparkFashionMnist.main(new String[] {"--help"});
        } finally {
            System.setOut(saved);
        }
        String help = captured.toString(StandardCharsets.UTF_8);
        String line = help.lines().filter(l -> l.startsWith("  --overwrite ")).findFirst().orElse("");
        assertFalse(line.isEmpty(), "no --overwrite line in: " + help);
        assertEquals("write into an output folder that already holds files (without it such a run stops before"
                + " training)", line.substring("  --overwrite ".length()).trim(), help);
        assertFalse(help.contains("workers:"), help);   // no run
    }

    private static Map<String, String> parse(String... args) {
        return Flags.parse(args, SparkFashionMnist.FLAGS, "SparkFashionMnist", "");
    }
}
