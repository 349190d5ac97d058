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
}
