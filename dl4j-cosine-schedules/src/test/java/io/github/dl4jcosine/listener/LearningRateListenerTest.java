package io.github.dl4jcosine.listener;

import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

class LearningRateListenerTest {

    /**
     * Real training, 3 updates per epoch, 6 epochs, SGDR per epoch with T_0 = 2, T_mult = 1, 0.1 -> 0: epoch 0
     * 0.1, epoch 1 the midpoint 0.05, epoch 2 back to 0.1 (a restart at iteration 6), ... restarts at epochs 2
     * and 4.
     */
    @Test
    void recordsEveryLayerAndReportsRestarts() {
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Sgd(
                new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 2, 1.0))));
        LearningRateListener lr = new LearningRateListener();
        net.setListeners(lr);
        net.fit(new ListDataSetIterator<>(TestNets.data().asList(), 4), 6);

        assertEquals(36, lr.records().size(), "18 updates x 2 layers");
        double[] perEpoch = {0.1, 0.05, 0.1, 0.05, 0.1, 0.05};
        for (LearningRateListener.Record r : lr.records()) {
            assertEquals(r.iteration() / 3, r.epoch());
            assertEquals(perEpoch[r.epoch()], r.learningRate(), 1e-15, "iteration " + r.iteration());
        }
        assertEquals(List.of("layer0", "layer1"), lr.records().subList(0, 2).stream()
                .map(LearningRateListener.Record::layer).collect(Collectors.toList()));
        assertEquals(List.of(6, 12), lr.restarts().stream().map(LearningRateListener.Restart::iteration)
                .collect(Collectors.toList()));
        assertEquals("restart at epoch 2 (iteration 6): lr 0.0500 -> 0.100 (2 layers)", lr.restarts().get(0).toString());

        String[] csv = lr.toCsv().split("\n");
        assertEquals("iteration,epoch,layer,learningRate,model", csv[0]);
        assertEquals("3,1,layer0,0.05,0", csv[7]);
        // one schedule shared by both layers: one stored value per update
        assertEquals(18, lr.storedValueCount());
        assertEquals(36, lr.recordCount());
    }

    /** A warmup only rises: no restart. Every other update recorded with frequency 2. Layer names of a graph. */
    @Test
    void warmupIsNoRestartAndFrequencyThinsRecords() {
        ComputationGraph graph = TestNets.graph(TestNets.graphConf(new Sgd(
                new WarmupCosineSchedule(ITERATION, 0.1, 0.0, 0.0, 3, 6))));
        LearningRateListener lr = new LearningRateListener(2);
        graph.setListeners(lr);
        DataSet data = TestNets.data();
        for (int i = 0; i < 8; i++) {
            graph.fit(data);
        }
        assertTrue(lr.restarts().isEmpty());
        assertEquals(List.of(0, 0, 2, 2, 4, 4, 6, 6), lr.records().stream().map(LearningRateListener.Record::iteration)
                .collect(Collectors.toList()));
        assertEquals(List.of("dense", "out"), lr.records().subList(0, 2).stream()
                .map(LearningRateListener.Record::layer).collect(Collectors.toList()));
        // warmup 0.1 * 2 / 3 at iteration 2
        assertEquals(0.1 * 2 / 3, lr.records().get(2).learningRate(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new LearningRateListener(0));
    }

    /**
     * Only observing the network: a mocked MultiLayerNetwork whose one layer has a real DenseLayer
     * configuration. The listener asks the updater for exactly the counters it is given.
     */
    @Test
    void usesTheCountersItIsGiven() {
        DenseLayer conf = new DenseLayer.Builder().nIn(1).nOut(1).name("dense")
                .updater(new Sgd(new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 1000, 1.0))).build();
        NeuralNetConfiguration nnc = new NeuralNetConfiguration.Builder().layer(conf).build();
        Layer layer = mock(Layer.class);
        when(layer.conf()).thenReturn(nnc);
        MultiLayerNetwork net = mock(MultiLayerNetwork.class);
        when(net.getLayers()).thenReturn(new Layer[] {layer});

        LearningRateListener lr = new LearningRateListener();
        lr.iterationDone(net, 1_000_499, 7);   // 499 into cycle 1000: just under the midpoint
        lr.iterationDone(net, 1_000_999, 7);   // the cycle's last update: 0.1 * (1 - cos(pi / 1000)) / 2 = 2.47e-7
        lr.iterationDone(net, 1_001_000, 7);   // restart
        assertEquals(1_000_499, lr.records().get(0).iteration());
        assertEquals(7, lr.records().get(0).epoch());
        assertEquals(1, lr.restarts().size());
        assertEquals(0.1, lr.restarts().get(0).after(), 0.0);
        assertEquals("restart at epoch 7 (iteration 1001000): lr 2.47e-07 -> 0.100 (dense)", lr.restarts().get(0).toString());
    }

    /** {@code layers} dense layers 2 -> 2, named by {@code name(i)}, each with {@code updater(i)}, and an output layer. */
    private static MultiLayerNetwork deep(int layers, java.util.function.IntFunction<String> name,
                                          java.util.function.IntFunction<Sgd> updater) {
        NeuralNetConfiguration.ListBuilder list = TestNets.builder(new Sgd(0.1)).list();
        for (int i = 0; i < layers; i++) {
            list.layer(new DenseLayer.Builder().nIn(i == 0 ? 3 : 2).nOut(2).name(name.apply(i)).updater(updater.apply(i))
                    .activation(Activation.TANH).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(2).name(name.apply(layers))
                .updater(updater.apply(layers)).activation(Activation.IDENTITY).build());
        MultiLayerConfiguration conf = list.build();
        return TestNets.mln(conf);
    }

    /**
     * Two layers both named "x": one warms up 0 -> 0.1 over 10 iterations, one anneals 0.1 -> 0 over 10. Told apart
     * by name, their values interleave (0.01, 0.0976, 0.02, 0.0905, ...) and every rise after a fall looked like a
     * restart; by identity there is none.
     */
    @Test
    void layersWithTheSameNameAreDifferentLayers() {
        MultiLayerNetwork net = deep(1, i -> "x", i -> new Sgd(i == 0
                ? new WarmupCosineSchedule(ITERATION, 0.1, 0.0, 0.0, 10, 1000)
                : new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 10)));
        LearningRateListener lr = new LearningRateListener();
        for (int i = 0; i < 10; i++) {
            lr.iterationDone(net, i, 0);
        }
        assertEquals(List.of(), lr.restarts());
        // warmup 0.1 * 3 / 10 = 0.03 at iteration 3 (layer 0); cosine 0.1 * (1 + cos(3 pi / 10)) / 2 = 0.0793893 (layer 1)
        assertEquals(0.03, lr.records().get(6).learningRate(), 1e-15);
        assertEquals(0.1 * (1 + Math.cos(3 * Math.PI / 10)) / 2, lr.records().get(7).learningRate(), 1e-15);
        assertEquals("x", lr.records().get(7).layer());
        // two curves, 10 updates, but at iteration 5 both are 0.05 (0.1 * 5 / 10 and 0.1 * (1 + cos(pi / 2)) / 2):
        // one value stored there
        assertEquals(19, lr.storedValueCount());
        assertEquals(0.05, lr.records().get(10).learningRate(), 1e-15);
        assertEquals(0.05, lr.records().get(11).learningRate(), 1e-15);
    }

    /**
     * 60 dense layers and an output layer sharing one schedule: 50 updates store 50 values, not 3,050; the records
     * view still lists every layer. Half the layers on a second schedule: two values per update.
     */
    @Test
    void memoryGrowsWithCurvesNotLayers() {
        MultiLayerNetwork shared = deep(60, i -> "layer" + i, i -> new Sgd(new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 100)));
        LearningRateListener lr = new LearningRateListener();
        for (int i = 0; i < 50; i++) {
            lr.iterationDone(shared, i, 0);
        }
        assertEquals(50, lr.storedValueCount());
        assertEquals(50 * 61, lr.recordCount());
        assertEquals(50 * 61, lr.records().size());
        LearningRateListener.Record last = lr.records().get(50 * 61 - 1);
        assertEquals("layer60", last.layer());
        assertEquals(49, last.iteration());
        // 0.1 * (1 + cos(49 pi / 100)) / 2
        assertEquals(0.1 * (1 + Math.cos(49 * Math.PI / 100)) / 2, last.learningRate(), 1e-15);

        MultiLayerNetwork two = deep(60, i -> "layer" + i, i -> new Sgd(new CosineAnnealingSchedule(ITERATION,
                i % 2 == 0 ? 0.1 : 0.2, 0.0, 100)));
        LearningRateListener lr2 = new LearningRateListener();
        for (int i = 0; i < 50; i++) {
            lr2.iterationDone(two, i, 0);
        }
        assertEquals(100, lr2.storedValueCount());
        assertEquals(0.2, lr2.records().get(1).learningRate(), 0.0);
        assertEquals(0.1, lr2.records().get(60).learningRate(), 0.0);
    }

    /**
     * Four threads, each with its own replica (as ParallelWrapper workers), call the listener at once for 200 updates
     * of SGDR with a constant 10-iteration period: restarts at 10, 20, ..., 190 are 19 per replica, 76 in all, and
     * every record is kept (4 x 200 x 2 layers).
     */
    @Test
    void severalWorkersAtOnce() throws Exception {
        int workers = 4;
        int updates = 200;
        LearningRateListener lr = new LearningRateListener();
        List<MultiLayerNetwork> replicas = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            replicas.add(TestNets.mln(TestNets.mlnConf(new Sgd(new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, 1.0)))));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (MultiLayerNetwork replica : replicas) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < updates; i++) {
                        lr.iterationDone(replica, i, 0);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(workers * updates * 2, lr.records().size());
        assertEquals(workers * 19, lr.restarts().size());
        for (LearningRateListener.Restart r : lr.restarts()) {
            assertEquals(0, r.iteration() % 10, r.toString());
            assertEquals(0.1, r.after(), 0.0);
        }
        for (int w = 0; w < workers; w++) {
            int model = w;
            List<Integer> iterations = lr.records().stream().filter(r -> r.model() == model && r.layer().equals("layer0"))
                    .map(LearningRateListener.Record::iteration).collect(Collectors.toList());
            assertEquals(updates, iterations.size());
            for (int i = 0; i < updates; i++) {
                assertEquals(i, iterations.get(i));
            }
        }
    }

    /**
     * A real ParallelWrapper, 2 workers, 16 examples in batches of 2 for 3 fits: 24 updates in all across the replicas
     * (each replica counts its own), 2 layers each; the EPOCH cosine stands still at 0.1 (no epoch increments), so no
     * restart.
     */
    @Test
    @SuppressWarnings("try") // ParallelWrapper.close() declares InterruptedException
    void realParallelWrapper() throws Exception {
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Sgd(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 4))));
        Nd4j.getRandom().setSeed(3);
        DataSet data = new DataSet(Nd4j.rand(16, 3), Nd4j.rand(16, 2));
        StringWriter csv = new StringWriter();
        LearningRateListener lr = new LearningRateListener(1, csv);
        try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(2)
                .averagingFrequency(2).build()) {
            wrapper.setListeners(lr);
            for (int epoch = 0; epoch < 3; epoch++) {
                wrapper.fit(new ListDataSetIterator<>(data.asList(), 2));
            }
        }
        lr.close();
        assertEquals(48, lr.recordCount());
        assertTrue(lr.records().stream().allMatch(r -> r.learningRate() == 0.1));
        assertTrue(lr.records().stream().map(LearningRateListener.Record::model).distinct().count() >= 2);
        assertEquals(List.of(), lr.restarts());
        assertEquals(lr.toCsv(), csv.toString(), "every streamed row, whole lines");
    }

    /**
     * Streaming to a file: rows go to lr.csv.partial as training runs, synced at each epoch end; the final name
     * appears only on close(), complete.
     */
    @Test
    void streamsCsvToAFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("run/lr.csv");
        Path partial = dir.resolve("run/lr.csv.partial");
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Sgd(new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 2, 1.0))));
        LearningRateListener lr = new LearningRateListener(1, target);
        net.setListeners(lr);
        net.fit(new ListDataSetIterator<>(TestNets.data().asList(), 4), 2);
        assertFalse(Files.exists(target));
        List<String> lines = Files.readAllLines(partial);
        assertEquals(1 + 6 * 2, lines.size(), "header and 6 updates x 2 layers, on disk before close()");
        assertEquals("iteration,epoch,layer,learningRate,model", lines.get(0));
        lr.close();
        assertFalse(Files.exists(partial));
        assertEquals(lr.toCsv(), new String(Files.readAllBytes(target), StandardCharsets.UTF_8));
        lr.close();   // idempotent

        Path file = Files.createFile(dir.resolve("plain"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LearningRateListener(1, file.resolve("lr.csv")));
        assertTrue(e.getMessage().startsWith("csvFile's folder (" + file + ")"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LearningRateListener(0, dir.resolve("x.csv")));
        assertFalse(Files.exists(dir.resolve("x.csv.partial")), "a refused listener leaves no file");
    }

    /**
     * A bad frequency is refused before anything is opened: no folder created, an earlier run's {@code .partial}
     * left as it was, the caller's Writer neither written to nor closed.
     */
    @Test
    void badFrequencyOpensNothing(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("new-folder");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LearningRateListener(0, folder.resolve("lr.csv")));
        assertEquals("frequency (0) must be >= 1", e.getMessage());
        assertFalse(Files.exists(folder), "a refused listener creates no folder");

        Path leftover = Files.write(dir.resolve("lr.csv.partial"), "0,0,a,0.1,0\n".getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateListener(-1, dir.resolve("lr.csv")));
        assertEquals("0,0,a,0.1,0\n", new String(Files.readAllBytes(leftover), StandardCharsets.UTF_8));

        StringWriter text = new StringWriter();
        BufferedWriter csv = new BufferedWriter(text);
        e = assertThrows(IllegalArgumentException.class, () -> new LearningRateListener(0, csv));
        assertEquals("frequency (0) must be >= 1", e.getMessage());
        csv.write("still open");   // a closed BufferedWriter throws IOException("Stream closed")
        csv.flush();
        assertEquals("still open", text.toString(), "nothing written before the refusal");
    }

    /** A layer name with a comma is quoted in the CSV. */
    @Test
    void csvQuotesNames() {
        MultiLayerNetwork net = deep(1, i -> i == 0 ? "a,b" : "say \"hi\"", i -> new Sgd(0.5));
        LearningRateListener lr = new LearningRateListener();
        lr.iterationDone(net, 0, 0);
        assertEquals("iteration,epoch,layer,learningRate,model\n0,0,\"a,b\",0.5,0\n0,0,\"say \"\"hi\"\"\",0.5,0\n",
                lr.toCsv());
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T object) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    /**
     * The listener survives Java serialization (what Spark does to ship it to executors) configured and with
     * state, and works afterwards: the copy keeps what was recorded, records the next network as a new model, and does
     * not stream (the stream stays with the original).
     */
    @Test
    void serializableListener(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Sgd(new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 3, 1.0))));
        LearningRateListener lr = new LearningRateListener(2, dir.resolve("lr.csv"));
        for (int i = 0; i < 4; i++) {
            lr.iterationDone(net, i, 0);
        }
        LearningRateListener copy = roundTrip(lr);
        assertEquals(4, copy.recordCount(), "iterations 0 and 2, 2 layers");
        assertEquals(1, copy.restarts().size());
        for (int i = 4; i < 7; i++) {
            copy.iterationDone(net, i, 0);
        }
        assertEquals(8, copy.recordCount());
        assertEquals(1, copy.records().get(7).model(), "a network seen after deserialization is a new model");
        assertEquals(2, copy.restarts().size(), "the restart at 6, found from the copy's own updates");
        copy.close();
        assertFalse(Files.exists(dir.resolve("lr.csv")), "the copy does not publish the original's stream");
        lr.close();
        assertEquals(1 + 4, Files.readAllLines(dir.resolve("lr.csv")).size());
    }
}
