package io.github.dl4jcosine.schedulefree;

import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused CPU pass really applies to the arrays DL4J gives an updater (block views of the flat gradient, the
 * state and the parameters, DOUBLE and FLOAT), so the speed and the float tests measure it; and it is refused
 * (ND4J operations then) for what it cannot map: a strided view, mixed types.
 */
class FusedPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"mln-DOUBLE", "mln-FLOAT", "graph-DOUBLE", "graph-FLOAT"})
    void blockArraysMapToBuffers(String variant) {
        DataType type = DataType.valueOf(variant.substring(variant.indexOf('-') + 1));
        Model net = variant.startsWith("mln") ? TrainingIntegrationTest.mln(TrainingIntegrationTest.ADAMW_DECAY, type)
                : TrainingIntegrationTest.graph(TrainingIntegrationTest.ADAMW_DECAY, type);
        ScheduleFree.prepare(net);
        INDArray gradient = net.getGradientsViewArray();
        INDArray flatGradient = gradient.reshape(gradient.length());
        INDArray params = Blocks.params(net);
        for (Blocks.Block b : Blocks.of(net)) {
            INDArray g = b.of(flatGradient);
            assertNotNull(NioAccess.of(g, b.length()), "gradient block");
            assertNotNull(NioAccess.of(b.of(params), b.length()), "parameter block");
            assertNotNull(NioAccess.of(b.updater.xMinusY(), b.length()), "state x - y");
            INDArray copy = g.dup();
            assertTrue(Kernels.fused(b.updater.hyper(), new Kernels.Step(0.1, 0.2, 0.5, 0.3, 0.01), g,
                    b.updater.xMinusY(), Nd4j.zeros(type, b.length()), b.of(params)), "fused pass taken");
            assertFalse(copy.equals(g), "gradient turned into an update");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void refusedWhereItCannotMap(boolean strided) {
        INDArray big = Nd4j.rand(DataType.DOUBLE, 20);
        INDArray view = strided ? big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2, 20))
                : big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 13));
        if (strided) {
            assertNull(NioAccess.of(view, 10));
        } else {
            NioAccess access = NioAccess.of(view, 10);
            assertNotNull(access);
            assertEquals(view.getDouble(4), access.doubles.get(access.base + 4), 0.0);
        }
        Hyper h = new ScheduleFreeSgd(0.1, 0.9, 0, 0, 0, 2).hyper();
        Kernels.Step s = new Kernels.Step(0.1, 0.2, 0.5, 0.3, 1);
        assertFalse(Kernels.fused(h, s, Nd4j.rand(DataType.DOUBLE, 10), Nd4j.rand(DataType.FLOAT, 10), null, null),
                "mixed types");
        assertEquals(!strided, Kernels.fused(h, s, view, Nd4j.rand(DataType.DOUBLE, 10), null, null));
    }

    /**
     * Arrays longer than the pass's chunk (8,192 elements), with a partial last chunk and at an offset into a larger
     * buffer: every element equals what ND4J's operations compute ({@link Kernels#generic}, an implementation of
     * its own), and the memory around the views is untouched.
     */
    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE-adamw", "FLOAT-adamw", "DOUBLE-adamw-decay", "FLOAT-adamw-decay", "DOUBLE-sgd",
        "FLOAT-sgd-decay"})
    void severalChunksAtAnOffset(String variant) {
        DataType type = DataType.valueOf(variant.substring(0, variant.indexOf('-')));
        boolean adam = variant.contains("adamw");
        boolean decay = variant.endsWith("decay");
        Hyper h = adam ? new ScheduleFreeAdamW(0.01, 0.9, 0.99, 1e-8, decay ? 0.1 : 0, 0, 0, 2).hyper()
                : new ScheduleFreeSgd(0.01, 0.9, decay ? 0.1 : 0, 0, 0, 2).hyper();
        // the scalars of a real step (the operations path relies on how they relate): weight c = 1/4, beta 0.9,
        // rate 0.01, the second step's bias correction
        Kernels.Step step = Kernels.Step.of(0.25, 0.9, 0.01, adam ? 1 - 0.99 * 0.99 : 1);
        int n = 3 * 8192 + 1234;
        Nd4j.getRandom().setSeed(21);
        INDArray[] whole = new INDArray[4];
        INDArray[] views = new INDArray[4];
        INDArray[] expected = new INDArray[4];
        for (int i = 0; i < 4; i++) {
            whole[i] = Nd4j.rand(type, n + 7 + i).addi(0.01);
            views[i] = whole[i].get(org.nd4j.linalg.indexing.NDArrayIndex.interval(5 + i, 5 + i + n));
            expected[i] = views[i].dup();
        }
        INDArray[] before = {whole[0].dup(), whole[1].dup(), whole[2].dup(), whole[3].dup()};
        INDArray v = adam ? views[2] : null;
        INDArray y = decay ? views[3] : null;
        Kernels.generic(h, step, expected[0], expected[1], adam ? expected[2] : null, decay ? expected[3] : null);
        assertTrue(Kernels.fused(h, step, views[0], views[1], v, y), "fused pass taken");
        double tolerance = type == DataType.DOUBLE ? 1e-13 : 2e-6;
        for (int a = 0; a < 3; a++) {
            if (a == 2 && !adam) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                double e = expected[a].getDouble(i);
                assertEquals(e, views[a].getDouble(i), tolerance * Math.max(1, Math.abs(e)),
                        "array " + a + " element " + i);
            }
            int offset = 5 + a;
            for (int i = 0; i < offset; i++) {
                assertEquals(before[a].getDouble(i), whole[a].getDouble(i), 0.0, "array " + a + " before the view");
            }
            for (long i = offset + n; i < whole[a].length(); i++) {
                assertEquals(before[a].getDouble(i), whole[a].getDouble(i), 0.0, "array " + a + " after the view");
            }
        }
        assertEquals(before[3], whole[3], "the parameters are only read");
    }

    /**
     * An accepted epsilon below float's smallest number (1e-50) in a FLOAT pass, where the gradient and v are 0 (a
     * parameter no example reaches): the update is 0, not 0 / 0. By hand: v = 0, d = 0 / (sqrt(0) + eps) = 0,
     * update = a * e + b * 0 = a * e with e = 0.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void tinyEpsilonInFloatGivesNoNaN(boolean fusedPass) {
        Hyper h = new ScheduleFreeAdamW(0.01, 0.9, 0.999, 1e-50, 0, 0, 0, 2).hyper();
        INDArray g = Nd4j.zeros(DataType.FLOAT, 10);
        INDArray e = Nd4j.zeros(DataType.FLOAT, 10);
        INDArray v = Nd4j.zeros(DataType.FLOAT, 10);
        Kernels.Step step = new Kernels.Step(0.1, 0.2, 0.5, 0.3, 0.001);
        if (fusedPass) {
            assertTrue(Kernels.fused(h, step, g, e, v, null), "fused pass taken");
        } else {
            Kernels.generic(h, step, g, e, v, null);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(0.0, g.getDouble(i), 0.0, "update " + i);
            assertEquals(0.0, e.getDouble(i), 0.0, "x - y " + i);
        }
    }
}
