package io.github.dl4jcosine.schedulefree;

import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.shade.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The configurations' contract: JSON through DL4J's own mapper (alone, and as a layer's updater in a
 * MultiLayerConfiguration and a ComputationGraphConfiguration, JSON and YAML), exactly the documented property
 * names, Java serialization, clone, equals/hashCode, toString, the builders' defaults (the package's), and the
 * saved fixtures of release 0.1.0.
 */
class ConfigContractTest {

    static final ScheduleFreeAdamW ADAMW = ScheduleFreeAdamW.builder().learningRate(0.004).beta1(0.95).beta2(0.99)
            .epsilon(1e-6).weightDecay(0.05).warmupSteps(300).r(0.5).weightLrPower(1.5).build();
    static final ScheduleFreeSgd SGD = ScheduleFreeSgd.builder().learningRate(0.5).momentum(0.8).weightDecay(1e-4)
            .warmupSteps(100).r(1.0).weightLrPower(3.0).build();

    static final List<String> ADAMW_PROPERTIES = Arrays.asList("beta1", "beta2", "epsilon", "learningRate", "r",
            "warmupSteps", "weightDecay", "weightLrPower");
    static final List<String> SGD_PROPERTIES = Arrays.asList("learningRate", "momentum", "r", "warmupSteps",
            "weightDecay", "weightLrPower");

    /** The package's defaults: AdamWScheduleFree(lr=0.0025, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
     * warmup_steps=0, r=0.0, weight_lr_power=2.0); SGDScheduleFree(lr=1.0, momentum=0.9, weight_decay=0,
     * warmup_steps=0, r=0.0, weight_lr_power=2). */
    @Test
    void buildersStartFromThePackagesDefaults() {
        assertEquals(new ScheduleFreeAdamW(0.0025, 0.9, 0.999, 1e-8, 0, 0, 0, 2), ScheduleFreeAdamW.builder().build());
        assertEquals(new ScheduleFreeSgd(1.0, 0.9, 0, 0, 0, 2), ScheduleFreeSgd.builder().build());
    }

    @Test
    void adamWContract() throws Exception {
        check(ADAMW, ADAMW_PROPERTIES, Arrays.asList(
                new ScheduleFreeAdamW(0.005, 0.95, 0.99, 1e-6, 0.05, 300, 0.5, 1.5),
                new ScheduleFreeAdamW(0.004, 0.9, 0.99, 1e-6, 0.05, 300, 0.5, 1.5),
                new ScheduleFreeAdamW(0.004, 0.95, 0.999, 1e-6, 0.05, 300, 0.5, 1.5),
                new ScheduleFreeAdamW(0.004, 0.95, 0.99, 1e-8, 0.05, 300, 0.5, 1.5),
                new ScheduleFreeAdamW(0.004, 0.95, 0.99, 1e-6, 0.0, 300, 0.5, 1.5),
                new ScheduleFreeAdamW(0.004, 0.95, 0.99, 1e-6, 0.05, 301, 0.5, 1.5),
                new ScheduleFreeAdamW(0.004, 0.95, 0.99, 1e-6, 0.05, 300, 0.0, 1.5),
                new ScheduleFreeAdamW(0.004, 0.95, 0.99, 1e-6, 0.05, 300, 0.5, 2.0),
                SGD));
        assertEquals("ScheduleFreeAdamW(learningRate=0.004, beta1=0.95, beta2=0.99, epsilon=1.0E-6, weightDecay=0.05, "
                + "warmupSteps=300, r=0.5, weightLrPower=1.5)", ADAMW.toString());
    }

    @Test
    void sgdContract() throws Exception {
        check(SGD, SGD_PROPERTIES, Arrays.asList(
                new ScheduleFreeSgd(0.6, 0.8, 1e-4, 100, 1.0, 3.0),
                new ScheduleFreeSgd(0.5, 0.9, 1e-4, 100, 1.0, 3.0),
                new ScheduleFreeSgd(0.5, 0.8, 0, 100, 1.0, 3.0),
                new ScheduleFreeSgd(0.5, 0.8, 1e-4, 0, 1.0, 3.0),
                new ScheduleFreeSgd(0.5, 0.8, 1e-4, 100, 2.0, 3.0),
                new ScheduleFreeSgd(0.5, 0.8, 1e-4, 100, 1.0, 2.0),
                ADAMW));
        assertEquals("ScheduleFreeSgd(learningRate=0.5, momentum=0.8, weightDecay=1.0E-4, warmupSteps=100, r=1.0, "
                + "weightLrPower=3.0)", SGD.toString());
    }

    private static void check(IUpdater updater, List<String> properties, List<IUpdater> unequal) throws Exception {
        String json = JsonMappers.getMapper().writeValueAsString(updater);
        JsonNode node = JsonMappers.getMapper().readTree(json);
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        names.remove("@class");
        assertEquals(new TreeSet<>(properties), new TreeSet<>(names), json);
        assertEquals(updater.getClass().getName(), node.get("@class").asText());

        assertSame(updater, JsonMappers.getMapper().readValue(json, IUpdater.class));
        assertSame(updater, JsonMappers.getMapperYaml().readValue(JsonMappers.getMapperYaml().writeValueAsString(updater),
                IUpdater.class));
        for (boolean yaml : new boolean[] {false, true}) {
            MultiLayerConfiguration conf = TestNets.mlnConf(updater);
            MultiLayerConfiguration back = yaml ? MultiLayerConfiguration.fromYaml(conf.toYaml())
                    : MultiLayerConfiguration.fromJson(conf.toJson());
            for (int layer = 0; layer < 2; layer++) {
                assertSame(updater, ((BaseLayer) back.getConf(layer).getLayer()).getIUpdater());
            }
            assertEquals(conf, back);
            ComputationGraphConfiguration graph = TestNets.graphConf(updater);
            ComputationGraphConfiguration graphBack = yaml ? ComputationGraphConfiguration.fromYaml(graph.toYaml())
                    : ComputationGraphConfiguration.fromJson(graph.toJson());
            for (String layer : new String[] {"dense", "out"}) {
                assertSame(updater, ((BaseLayer) ((LayerVertex) graphBack.getVertices().get(layer)).getLayerConf()
                        .getLayer()).getIUpdater());
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(updater);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertSame(updater, (IUpdater) in.readObject());
        }
        IUpdater copy = updater.clone();
        assertNotSame(updater, copy);
        assertSame(updater, copy);
        for (IUpdater other : unequal) {
            assertNotEquals(updater, other, other.toString());
            assertNotEquals(other, updater, other.toString());
        }
    }

    private static void assertSame(IUpdater expected, IUpdater actual) {
        assertEquals(expected, actual);
        assertEquals(expected.hashCode(), actual.hashCode());
        assertEquals(expected.toString(), actual.toString());
    }

    /** JSON saved by release 0.1.0 must load, on every build. Never regenerate these files; add new ones. */
    @ParameterizedTest
    @ValueSource(strings = {"ScheduleFreeAdamW", "ScheduleFreeSgd"})
    void savedConfigurationLoads(String name) throws IOException {
        IUpdater expected = name.equals("ScheduleFreeAdamW") ? ADAMW : SGD;
        assertSame(expected, JsonMappers.getMapper().readValue(fixture(name + "-0.1.0.json"), IUpdater.class));
    }

    /** A network configuration of release 0.1.0 with AdamW on the first layer and SGD on the second. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void savedNetworkConfigurationLoads(boolean yaml) throws IOException {
        MultiLayerConfiguration conf = yaml
                ? MultiLayerConfiguration.fromYaml(fixture("schedulefree-network-0.1.0.yaml"))
                : MultiLayerConfiguration.fromJson(fixture("schedulefree-network-0.1.0.json"));
        assertSame(ADAMW, ((BaseLayer) conf.getConf(0).getLayer()).getIUpdater());
        assertSame(SGD, ((BaseLayer) conf.getConf(1).getLayer()).getIUpdater());
    }

    @Test
    void fixedLearningRate() {
        Exception e = assertThrows(UnsupportedOperationException.class, () -> ADAMW.clone().setLrAndSchedule(0.1, null));
        assertTrue(e.getMessage().contains("fixed at construction"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> SGD.clone().setLrAndSchedule(0.1, null));
    }

    /** lr_k = learningRate * min(1, (iteration + 1) / warmupSteps): 0.004 * 1/300 at 0, 0.004 * 150/300 at 149. */
    @Test
    void learningRateForListenersFollowsTheWarmup() {
        assertEquals(0.004 * (1 / 300.0), ADAMW.getLearningRate(0, 0), 0);
        assertEquals(0.004 * (150 / 300.0), ADAMW.getLearningRate(149, 3), 0);
        assertEquals(0.004, ADAMW.getLearningRate(299, 0), 0);
        assertEquals(0.004, ADAMW.getLearningRate(Integer.MAX_VALUE, 0), 0);
        assertEquals(0.5 * (1 / 100.0), SGD.getLearningRate(0, 0), 0);
        assertTrue(ADAMW.hasLearningRate() && SGD.hasLearningRate());
    }

    static String fixture(String file) throws IOException {
        try (InputStream in = ConfigContractTest.class.getResourceAsStream("/fixtures/" + file)) {
            if (in == null) {
                throw new IOException("missing fixture " + file);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
            return new String(out.toByteArray(), StandardCharsets.UTF_8);
        }
    }
}
