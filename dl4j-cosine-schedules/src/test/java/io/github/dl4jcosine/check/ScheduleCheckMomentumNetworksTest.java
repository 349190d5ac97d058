package io.github.dl4jcosine.check;

import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.Schedules;
import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * The momentum checks on networks they do not target: DL4J's own momentum schedules (MapSchedule, StepSchedule,
 * FixedSchedule), a ComputationGraph, a layer without an updater (SubsamplingLayer), Adam (no momentum): no
 * exception and no finding for a rate and momentum that suit a 90-epoch run of 390 updates (the step momenta
 * rise 0.5 x 1.2^k, at most 0.864, below 1).
 */
class ScheduleCheckMomentumNetworksTest {

    private static final ScheduleCheck RUN = ScheduleCheck.forTraining(90, 390);
    /** The rate: a cosine over the run's 90 epochs. */
    private static final CosineAnnealingSchedule RATE = new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 90);

    private static List<ScheduleCheck.Finding> check(Model model) {
        List<ScheduleCheck.Finding> findings = RUN.check(model);
        RUN.checkOrThrow(model);
        return findings;
    }

    private static MultiLayerNetwork cnn(IUpdater updater) {
        return TestNets.mln(TestNets.builder(updater).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build());
    }

    @Test
    void dl4jMomentumSchedules() {
        MapSchedule map = new MapSchedule.Builder(EPOCH).add(0, 0.5).add(5, 0.9).build();
        assertEquals(List.of(), check(TestNets.mln(TestNets.mlnConf(new Nesterovs(RATE, map)))));
        assertEquals(List.of(), check(TestNets.mln(TestNets.mlnConf(new Nesterovs(RATE,
                new MapSchedule.Builder(ITERATION).add(0, 0.5).add(1000, 0.9).build())))));
        assertEquals(List.of(), check(TestNets.mln(TestNets.mlnConf(new Nesterovs(RATE,
                new StepSchedule(ITERATION, 0.5, 1.2, 10_000))))));
        assertEquals(List.of(), check(TestNets.mln(TestNets.mlnConf(new Nesterovs(RATE, new FixedSchedule(0.9))))));
        assertEquals(List.of(), check(TestNets.mln(TestNets.mlnConf(new Nesterovs(RATE, 0.9)))));
    }

    @Test
    void computationGraphAndLayersWithoutUpdaters() {
        int total = 90 * 390;
        Nesterovs oneCycle = new Nesterovs(Schedules.oneCycle(ITERATION, 0.1, total),
                Schedules.oneCycleMomentum(ITERATION, total));
        assertEquals(List.of(), check(TestNets.graph(TestNets.graphConf(oneCycle))));
        assertEquals(List.of(), check(cnn(oneCycle)));
        assertEquals(List.of(), check(cnn(new Nesterovs(RATE, new StepSchedule(EPOCH, 0.5, 1.2, 30)))));
        assertEquals(List.of(), check(cnn(new Adam(RATE))));
        assertEquals(List.of(), check(TestNets.graph(TestNets.graphConf(new Adam(RATE)))));
    }
}
