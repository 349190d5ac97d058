package io.github.dl4jcosine.snapshot;

import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link SnapshotEnsemble#of} and {@link SnapshotEnsemble#load} accept, and how they refuse the rest. */
class SnapshotEnsembleTest {

    private static MultiLayerNetwork mlnWithLayerNames(String first, String second) {
        return TestNets.mln(TestNets.builder(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().name(first).nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name(second).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
    }

    private static File save(org.deeplearning4j.nn.api.Model model, Path dir, String name) throws Exception {
        File f = dir.resolve(name).toFile();
        ModelSerializer.writeModel(model, f, true);
        return f;
    }

    /** Layer names are user data: "vertices" or "confs" inside a configuration must not decide its kind. */
    @Test
    void layerNamesDoNotDecideTheModelKind(@TempDir Path dir) throws Exception {
        MultiLayerNetwork mln = mlnWithLayerNames("vertices", "networkOutputs");
        ComputationGraph graph = TestNets.graph(TestNets.builder(new Sgd(0.1)).graphBuilder()
                .addInputs("in")
                .addLayer("confs", new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build(), "confs")
                .setOutputs("out")
                .build());
        INDArray x = TestNets.data().getFeatures();
        SnapshotEnsemble ensemble = SnapshotEnsemble.load(save(mln, dir, "mln.zip"), save(graph, dir, "graph.zip"));
        INDArray expected = mln.output(x).add(graph.outputSingle(x)).div(2);
        assertArrayEquals(expected.ravel().toDoubleVector(), ensemble.output(x).ravel().toDoubleVector(), 1e-12);
    }

    @Test
    void multiOutputGraphIsRefused(@TempDir Path dir) throws Exception {
        ComputationGraph twoOutputs = TestNets.graph(TestNets.builder(new Sgd(0.1)).graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("a", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build(), "dense")
                .addLayer("b", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(1)
                        .activation(Activation.IDENTITY).build(), "dense")
                .setOutputs("a", "b")
                .build());
        String of = assertThrows(IllegalArgumentException.class,
                () -> SnapshotEnsemble.of(TestNets.mln(TestNets.mlnConf(new Sgd(0.1))), twoOutputs)).getMessage();
        assertTrue(of.startsWith("models[1] is a ComputationGraph with 2 outputs [a, b]"), of);
        File f = save(twoOutputs, dir, "two.zip");
        String load = assertThrows(IllegalArgumentException.class, () -> SnapshotEnsemble.load(f)).getMessage();
        assertTrue(load.startsWith("files[0] (" + f + ") is a ComputationGraph with 2 outputs [a, b]"), load);
    }

    @Test
    void badEntriesAreNamedByIndex(@TempDir Path dir) throws Exception {
        File good = save(TestNets.mln(TestNets.mlnConf(new Sgd(0.1))), dir, "good.zip");
        assertEquals("files[1] (null) must not be null", assertThrows(IllegalArgumentException.class,
                () -> SnapshotEnsemble.load(Arrays.asList(good, null))).getMessage());
        assertEquals("files[0] (null) must not be null", assertThrows(IllegalArgumentException.class,
                () -> SnapshotEnsemble.load((File) null)).getMessage());
        assertEquals("models[2] (null) must not be null", assertThrows(IllegalArgumentException.class,
                () -> SnapshotEnsemble.of(Arrays.asList(mlnWithLayerNames("a", "b"), mlnWithLayerNames("a", "b"),
                        null)))
                .getMessage());
        File missing = dir.resolve("missing.zip").toFile();
        assertEquals("files[1] (" + missing + ") must be an existing file", assertThrows(IllegalArgumentException.class,
                () -> SnapshotEnsemble.load(good, missing)).getMessage());
        File text = dir.resolve("notes.zip").toFile();
        Files.write(text.toPath(), "not a zip".getBytes(StandardCharsets.UTF_8));
        String notZip = assertThrows(IllegalArgumentException.class, () -> SnapshotEnsemble.load(good, text))
                .getMessage();
        assertTrue(notZip.startsWith("files[1] (" + text + ") is not a DL4J model zip"), notZip);
        assertThrows(IllegalArgumentException.class, () -> SnapshotEnsemble.load(List.of()));
        assertThrows(IllegalArgumentException.class, () -> SnapshotEnsemble.of(List.of()));
    }

    /** Snapshots of different networks (2 outputs and 3) cannot be averaged: said by name, not an ND4J shape error. */
    @Test
    void outputsOfAnotherShapeAreRefused() {
        MultiLayerNetwork three = TestNets.mln(TestNets.builder(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(3)
                        .activation(Activation.IDENTITY).build())
                .build());
        SnapshotEnsemble mixed = SnapshotEnsemble.of(mlnWithLayerNames("a", "b"), three);
        assertEquals("model 1 gives outputs of shape [12, 3] but model 0 gives [12, 2]: the snapshots must be of one "
                + "network", assertThrows(IllegalArgumentException.class,
                () -> mixed.output(TestNets.data().getFeatures())).getMessage());
    }
}
