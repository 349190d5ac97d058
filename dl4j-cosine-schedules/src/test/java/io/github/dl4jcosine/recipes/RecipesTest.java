package io.github.dl4jcosine.recipes;

import io.github.dl4jcosine.snapshot.SnapshotEnsemble;
import io.github.dl4jcosine.snapshot.SnapshotListener;
import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import io.github.dl4jcosine.schedule.Schedules;
import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every recipe of the README's "Recipes" section on tiny data (12 random 784-pixel examples, 3
 * updates per epoch), and checks that the README shows exactly the code run here: the text between
 * {@code // recipe: NAME} and {@code // end recipe} below must equal the README's block after
 * {@code <!-- recipe: NAME -->} after its imports, line for line (leading indentation aside).
 */
class RecipesTest {

    private DataSetIterator trainIter;
    private DataSetIterator testIter;
    private final PrintStream savedOut = System.out;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void tinyData() {
        Nd4j.getRandom().setSeed(9);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 12, 10);
        for (int i = 0; i < 12; i++) {
            labels.putScalar(i, i % 10, 1.0);
        }
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, 12, 784), labels);
        trainIter = new ListDataSetIterator<>(data.asList(), 4);
        testIter = new ListDataSetIterator<>(data.asList(), 6);
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() throws IOException {
        System.setOut(savedOut);
        Path snapshots = Paths.get("snapshots");
        if (Files.isDirectory(snapshots)) {
            try (Stream<Path> files = Files.walk(snapshots)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static MultiLayerNetwork trainOneEpoch(MultiLayerConfiguration conf, DataSetIterator data) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.fit(data);
        for (double p : net.params().toDoubleVector()) {
            assertTrue(Double.isFinite(p));
        }
        return net;
    }

    /** Half-way (epoch 100 of 200): 0.1 * (1 + cos(pi / 2)) / 2 = 0.05. */
    @Test
    void cifarCosine() {
        // recipe: cifar-cosine
        int epochs = 200;
        int iterationsPerEpoch = 391;                                   // 50,000 images, batch 128
        ISchedule lr = new CosineAnnealingSchedule(ScheduleType.EPOCH, 0.1, 0.0, epochs, iterationsPerEpoch);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .updater(new Nesterovs(lr, 0.9))
                .l2(5e-4)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(100).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(100).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        // end recipe
        assertEquals(0.05, lr.valueAt(100 * 391, 100), 1e-15);
        trainOneEpoch(conf, trainIter);
    }

    /** Linear scaling 1024 / 256 = 4: peak 0.4 at epoch 5; half-way through the warmup (epoch 2.5) 0.2. */
    @Test
    void imagenetWarmupCosine() {
        // recipe: imagenet-warmup-cosine
        ISchedule base = Schedules.warmupCosine(ScheduleType.EPOCH).peakValue(0.1).warmupPeriod(5).totalPeriod(90)
                .iterationsPerEpoch(1252)                               // 1.28M images, batch 1024
                .build();
        IUpdater updater = new Nesterovs(Schedules.linearScaling(base, 1024), 0.9);   // peak 0.1 * 1024 / 256 = 0.4
        // end recipe
        assertEquals(0.4, updater.getLearningRate(5 * 1252, 5), 1e-15);
        assertEquals(0.2, updater.getLearningRate(2 * 1252 + 626, 2), 1e-15);
        trainOneEpoch(new NeuralNetConfiguration.Builder().updater(updater).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(784).nOut(10)
                        .activation(Activation.SOFTMAX).build()).build(), trainIter);
    }

    /** Warmup half-way (iteration 5000) 5e-4; the decay coefficient starts at 0.04 and ends at 0.4. */
    @Test
    void vitAdamW() {
        // recipe: vit-adamw
        ISchedule lr = new WarmupCosineSchedule(ScheduleType.ITERATION, 1e-3, 0.0, 1e-5, 10_000, 300_000);
        ISchedule decay = new CosineAnnealingSchedule(ScheduleType.ITERATION, 0.04, 0.4, 300_000);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .updater(new Adam(lr))
                .regularization(List.of(new WeightDecay(decay, true)))
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(100).activation(Activation.GELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(100).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        // end recipe
        assertEquals(5e-4, lr.valueAt(5000, 0), 1e-18);
        assertEquals(0.04, decay.valueAt(0, 0), 0.0);
        assertEquals(0.4, decay.valueAt(300_000, 0), 0.0);
        assertEquals(decay, ((WeightDecay) ((BaseLayer) conf.getConf(0).getLayer()).getRegularization().get(0))
                .getCoeff());
        trainOneEpoch(conf, trainIter);
    }

    /** 50 epochs of 3 updates: a snapshot after epochs 10, 20, 30, 40, 50, all kept (keepLast 5). */
    @Test
    void sgdrSnapshots() {
        // recipe: sgdr-snapshots
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ScheduleType.EPOCH, 0.1, 0.0, 10, 1.0);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .updater(new Nesterovs(sgdr, 0.9))
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(100).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(100).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        SnapshotListener snapshots = new SnapshotListener(new File("snapshots"), sgdr, 5);
        net.setListeners(snapshots);
        net.fit(trainIter, 50);                                         // snapshots after epochs 10, 20, 30, 40, 50
        SnapshotEnsemble.Result result = SnapshotEnsemble.load(snapshots.snapshots()).evaluate(testIter);
        System.out.println(result);
        // end recipe
        assertEquals(5, snapshots.snapshots().size());
        assertEquals(5, result.snapshotAccuracies().size());
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("ensemble of 5: accuracy "));
    }

    /** The fine-tuned network starts its counters at 0: the cosine from 1e-4. */
    @Test
    void fineTune() {
        MultiLayerNetwork pretrained = trainOneEpoch(new NeuralNetConfiguration.Builder().updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(20).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(20).nOut(10)
                        .activation(Activation.SOFTMAX).build()).build(), trainIter);
        // recipe: fine-tune
        MultiLayerNetwork tuned = new TransferLearning.Builder(pretrained)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder()
                        .updater(new Adam(new CosineAnnealingSchedule(ScheduleType.EPOCH, 1e-4, 1e-6, 10)))
                        .build())
                .setFeatureExtractor(0)                                 // freeze layer 0
                .build();
        tuned.fit(trainIter, 10);
        // end recipe
        assertEquals(10, tuned.getEpochCount());
        assertEquals(30, tuned.getIterationCount());
    }

    /** 15 + 195/391 epochs into 30: 0.1 * (1 + cos(15.4987 pi / 30)) / 2 = 0.0474 (Python); stairs: epoch 15, 0.05. */
    @Test
    void granularity() {
        // recipe: granularity
        int iterationsPerEpoch = (int) Math.ceil(50_000 / 128.0);       // 391
        ISchedule stairs = new CosineAnnealingSchedule(ScheduleType.EPOCH, 0.1, 0.0, 30);
        ISchedule smooth = new CosineAnnealingSchedule(ScheduleType.EPOCH, 0.1, 0.0, 30, iterationsPerEpoch);
        // half-way through epoch 15: stairs still 0.05, smooth already 0.0474
        System.out.printf("%.4f %.4f%n", stairs.valueAt(15 * 391 + 195, 15), smooth.valueAt(15 * 391 + 195, 15));
        // end recipe
        assertEquals("0.0500 0.0474", printed.toString(StandardCharsets.UTF_8).trim());
    }

    /**
     * 30 epochs of 391 updates = 11,730 (PyTorch OneCycleLR steps per batch); the peak at 0.3 * 11730 - 1 = 3518
     * (Python: 3518.0), where the momentum is at its low, 0.85; back to 0.95 at the last update, 11,729.
     */
    @Test
    void oneCycle() {
        // recipe: one-cycle
        int total = 30 * 391;                                           // 30 epochs of 391 updates, stepped per update
        ISchedule lr = Schedules.oneCycle(ScheduleType.ITERATION, 0.1, total);           // 0.004 -> 0.1 -> 4e-7
        ISchedule momentum = Schedules.oneCycleMomentum(ScheduleType.ITERATION, total);  // 0.95 -> 0.85 -> 0.95
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .updater(new Nesterovs(lr, momentum))
                .l2(5e-4)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(100).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(100).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        // end recipe
        assertEquals(0.1, lr.valueAt(3518, 9), 0.0);
        assertEquals(0.85, momentum.valueAt(3518, 9), 0.0);
        assertEquals(4e-7, lr.valueAt(11729, 29), 0.0);
        assertEquals(0.95, momentum.valueAt(11729, 29), 0.0);
        assertEquals(momentum, ((Nesterovs) ((BaseLayer) conf.getConf(0).getLayer()).getIUpdater())
                .getMomentumISchedule());
        trainOneEpoch(conf, trainIter);
    }

    /**
     * Stable 3e-4 x sqrt(1024 / 256) = 6e-4 at 50,000; half-way through the 1-sqrt cooldown (95,000):
     * 2 x (3e-5 + 2.7e-4 x (1 - sqrt(0.5))) = 2.1816233815926428e-4 (Python); 2 x 3e-5 from 100,000 on.
     */
    @Test
    void warmupStableDecay() {
        // recipe: wsd
        ISchedule lr = Schedules.warmupStableDecay(ScheduleType.ITERATION).peakValue(3e-4).minRatio(0.1)
                .warmupPeriod(2_000).stablePeriod(88_000).decayPeriod(10_000)  // cooldown: the last 10%
                .decayShape(WarmupStableDecaySchedule.Shape.ONE_MINUS_SQRT)
                .build();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .updater(new Adam(Schedules.sqrtScaling(lr, 1024)))     // tuned at batch 256: x sqrt(1024 / 256)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(100).activation(Activation.GELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(100).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        // end recipe
        IUpdater adam = ((BaseLayer) conf.getConf(0).getLayer()).getIUpdater();
        assertEquals(6e-4, adam.getLearningRate(50_000, 0), 1e-18);
        assertEquals(2.1816233815926428e-4, adam.getLearningRate(95_000, 0), 1e-18);
        assertEquals(6e-5, adam.getLearningRate(100_000, 0), 1e-18);
        trainOneEpoch(conf, trainIter);
    }

    /** The README shows exactly the code above, for every recipe, and no recipe is missing on either side. */
    @Test
    void readmeShowsTheTestedCode() throws IOException {
        String readme = new String(Files.readAllBytes(Paths.get("../README.md")), StandardCharsets.UTF_8);
        String source = new String(Files.readAllBytes(Paths.get(
                "src/test/java/io/github/dl4jcosine/recipes/RecipesTest.java")), StandardCharsets.UTF_8);
        // the README's imports (checked by ReadmeSnippetsTest) are not compared: the code after them is
        Map<String, String> documented = blocks(readme,
                "<!-- recipe: ([\\w-]+) -->\\s*```java\\n(?:import [^\\n]*\\n|\\n)*(.*?)```");
        Map<String, String> tested = blocks(source, "// recipe: ([\\w-]+)\\n(.*?)\\s*// end recipe");
        assertEquals(List.of("cifar-cosine", "imagenet-warmup-cosine", "vit-adamw", "sgdr-snapshots", "fine-tune",
                "granularity", "one-cycle", "wsd"), List.copyOf(documented.keySet()));
        assertEquals(documented.keySet(), tested.keySet());
        for (String name : documented.keySet()) {
            assertEquals(documented.get(name), tested.get(name), "recipe " + name);
        }
    }

    /** name -> block, each line stripped of its indentation relative to the block's first line. */
    private static Map<String, String> blocks(String text, String regex) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        while (m.find()) {
            String[] lines = m.group(2).replaceAll("\\s+$", "").split("\n");
            int indent = lines[0].length() - lines[0].stripLeading().length();
            StringBuilder block = new StringBuilder();
            for (String line : lines) {
                block.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
            }
            out.put(m.group(1), block.toString());
        }
        return out;
    }
}
