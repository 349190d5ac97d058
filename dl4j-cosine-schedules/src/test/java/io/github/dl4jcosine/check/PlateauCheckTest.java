package io.github.dl4jcosine.check;

import io.github.dl4jcosine.check.ScheduleCheck.Finding;
import io.github.dl4jcosine.check.ScheduleCheck.Kind;
import io.github.dl4jcosine.check.ScheduleCheck.Severity;
import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.LinearWarmupSchedule;
import io.github.dl4jcosine.schedule.PlateauSchedule;
import io.github.dl4jcosine.schedule.PlateauState;
import io.github.dl4jcosine.schedule.ProductSchedule;
import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * ScheduleCheck on PlateauSchedules: checked through the base (horizon and values), plus the three plateau warnings.
 * A 20-epoch run of 100 updates per epoch.
 */
class PlateauCheckTest {

    private static final ScheduleCheck RUN = ScheduleCheck.forTraining(20, 100);

    private static List<Kind> kinds(List<Finding> findings) {
        return findings.stream().map(Finding::kind).collect(Collectors.toList());
    }

    /** Warmup of 2 epochs to 1e-3, then constant: the usual base. */
    private static ISchedule warmup() {
        return new LinearWarmupSchedule(EPOCH, 2, 0.0, new FixedSchedule(1e-3), 100);
    }

    @Test
    void wellConfiguredPlateauPasses() {
        assertEquals(List.of(), RUN.check(PlateauSchedule.builder(warmup()).patience(3).minValue(1e-6).build()));
        assertEquals(List.of(), RUN.check(PlateauSchedule.builder(new FixedSchedule(0.1)).patience(17).build()),
                "patience 17: the best at epoch 0, 18 bad epochs, the reduction after epoch 18 trains epoch 19");
    }

    /**
     * The base's horizon is the plateau's: a cosine over 5 epochs in a 20-epoch run ends early, as without the
     * plateau (same kinds, same severities).
     */
    @Test
    void horizonIsTheBases() {
        CosineAnnealingSchedule cosine = new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 5);
        List<Finding> bare = RUN.check(cosine);
        assertEquals(List.of(Kind.HORIZON_SHORT), kinds(bare));
        assertEquals(kinds(bare), kinds(RUN.check(PlateauSchedule.builder(cosine).patience(3).build())));
        // periods meant in epochs on an ITERATION base: the unit error is still found
        assertEquals(List.of(Kind.HORIZON_UNIT), kinds(RUN.check(PlateauSchedule.builder(
                new WarmupCosineSchedule(ITERATION, 0.1, 0.0, 0.0, 2, 20)).patience(3).build())));
    }

    /**
     * Reductions already made (a resumed run) are steps of the plateau, not seams of a composed schedule: on a warmup +
     * cosine base, sampled as they are, they would be two jumps down (an ERROR each).
     */
    @Test
    void reductionsAreNotSeams() {
        PlateauSchedule resumed = new PlateauSchedule(new WarmupCosineSchedule(EPOCH, 1e-3, 0.0, 1e-5, 2, 20, 100),
                PlateauSchedule.Mode.MIN, 0.1, 3, 1e-4,
                PlateauSchedule.ThresholdMode.RELATIVE, 0, 0.0, 1e-8,
                new PlateauState(0.3, 1, 0, 800, new int[] {500, 800}, new double[] {0.1, 0.01}));
        assertEquals(List.of(), RUN.check(resumed));
    }

    /**
     * The base falls to 1e-5 at the end of the run (a cosine from 1e-3 to 1e-5 over the 20 epochs): a minValue of
     * 1e-4 stops reductions three quarters of the way through. At the last update, 1999, the cosine is
     * 1e-5 + 0.99e-3 * (1 + cos(pi * 19.99 / 20)) / 2 = 1.0000610...e-5.
     */
    @Test
    void minValueAboveTheBasesFinalValue() {
        PlateauSchedule p = PlateauSchedule.builder(new CosineAnnealingSchedule(EPOCH, 1e-3, 1e-5, 20, 100))
                .patience(3).minValue(1e-4).build();
        Finding f = RUN.check(p).get(0);
        assertEquals(Kind.PLATEAU_MIN_VALUE, f.kind());
        assertEquals(Severity.WARNING, f.severity());
        double end = 1e-5 + 0.99e-3 * (1 + Math.cos(Math.PI * 19.99 / 20)) / 2;
        assertTrue(f.message().startsWith("PlateauSchedule's minValue (1.0E-4) is above its base's value at the end of"
                + " the run (" + end + " at update 1999)"), f.message());
        assertEquals(List.of(), kinds(RUN.check(PlateauSchedule.builder(new CosineAnnealingSchedule(EPOCH, 1e-3, 1e-5,
                20, 100)).patience(3).minValue(1e-5).build())), "minValue at the final value is fine");
    }

    /**
     * One report per epoch: the first sets the best, then patience + 1 without improvement reduce. With 20 epochs
     * the reduction after epoch 19 (the 20th report) trains nothing: patience 18 needs 20 reports, too many;
     * patience 17 (19 reports) is the most. A resumed state counts: with 2 bad reports already, patience 20 needs 19
     * more (the most), 21 needs 20; in a cooldown of 2, the 2 cooldown reports come first.
     */
    @Test
    void patienceLongerThanTheRun() {
        Finding f = RUN.check(PlateauSchedule.builder(warmup()).patience(18).build()).get(0);
        assertEquals(Kind.PLATEAU_PATIENCE, f.kind());
        assertEquals(Severity.WARNING, f.severity());
        assertEquals("PlateauSchedule's patience (18) needs 20 reports (one per epoch with PlateauListener: the first"
                + " sets the best, then 19 without improvement) before its first reduction can take effect, but the"
                + " run has 20 epochs: the rate is never reduced. Lower patience to at most 17", f.message());
        assertEquals(List.of(Kind.PLATEAU_PATIENCE), kinds(ScheduleCheck.forTraining(2, 100).check(
                PlateauSchedule.builder(new FixedSchedule(0.1)).patience(0).build())));
        assertTrue(ScheduleCheck.forTraining(2, 100).check(PlateauSchedule.builder(new FixedSchedule(0.1)).patience(0)
                .build()).get(0).message().endsWith("Train longer"));

        PlateauState twoBad = new PlateauState(0.5, 2, 0, 300, new int[0], new double[0]);
        assertEquals(List.of(), RUN.check(plateau(20, 0, twoBad)), "2 + 19 = 21 bad: after 19 more epochs");
        assertEquals(List.of(Kind.PLATEAU_PATIENCE), kinds(RUN.check(plateau(21, 0, twoBad))));
        PlateauState cooling = new PlateauState(0.5, 0, 2, 300, new int[] {300}, new double[] {0.1});
        assertEquals(List.of(), RUN.check(plateau(16, 2, cooling)), "2 cooldown reports + 17 bad = 19");
        assertEquals(List.of(Kind.PLATEAU_PATIENCE), kinds(RUN.check(plateau(17, 2, cooling))));
    }

    private static PlateauSchedule plateau(int patience, int cooldown, PlateauState state) {
        return new PlateauSchedule(new FixedSchedule(0.1), PlateauSchedule.Mode.MIN, 0.1, patience, 1e-4,
                PlateauSchedule.ThresholdMode.RELATIVE, cooldown, 0.0, 1e-8, state);
    }

    /** Inside a product (a factor of a warmup), the plateau is found too. */
    @Test
    void plateauAmongParts() {
        ISchedule product = new ProductSchedule(new FixedSchedule(1.0),
                PlateauSchedule.builder(new FixedSchedule(0.1)).patience(30).build());
        assertEquals(List.of(Kind.PLATEAU_PATIENCE), kinds(RUN.check(product)));
    }

    /** A mode against the metric: a WARNING per schedule instance, for the rate and the momentum, named by layer. */
    @Test
    void modeContradictingTheMetric() {
        PlateauSchedule max = PlateauSchedule.builder(new FixedSchedule(0.05)).mode(PlateauSchedule.Mode.MAX)
                .patience(3).build();
        PlateauSchedule momentum = PlateauSchedule.builder(new FixedSchedule(0.9)).patience(3).build();
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Nesterovs(max, momentum)));
        ScoreCalculator<?> loss = new DataSetLossCalculator(new org.deeplearning4j.datasets.iterator.utilty
                .ListDataSetIterator<>(TestNets.data().asList(), 4), true);
        List<Finding> found = RUN.check(net, loss);
        List<Finding> plateau = found.stream().filter(f -> f.kind() == Kind.PLATEAU_MODE).collect(Collectors.toList());
        assertEquals(1, plateau.size(), found.toString());
        assertEquals("layer 'layer0': PlateauSchedule has mode MAX but DataSetLossCalculator minimizes its score: every"
                + " improvement would count as worse. Use mode MIN (PlateauListener refuses this)",
                plateau.get(0).message());
        assertEquals(Severity.WARNING, plateau.get(0).severity());
        assertEquals(RUN.check(net), found.subList(0, found.size() - 1).stream().collect(Collectors.toList()));

        ScoreCalculator<MultiLayerNetwork> accuracy = new ScoreCalculator<MultiLayerNetwork>() {
            @Override
            public double calculateScore(MultiLayerNetwork network) {
                return 0;
            }

            @Override
            public boolean minimizeScore() {
                return false;
            }
        };
        List<Finding> againstAccuracy = RUN.check(net, accuracy);
        assertEquals(1, againstAccuracy.stream().filter(f -> f.kind() == Kind.PLATEAU_MODE).count(),
                "the MIN momentum plateau against an accuracy: " + againstAccuracy);
        assertTrue(againstAccuracy.stream().anyMatch(f -> f.message().startsWith("layer 'layer0': PlateauSchedule has"
                + " mode MIN but " + accuracy.getClass().getSimpleName() + " maximizes")), againstAccuracy.toString());
        assertEquals(List.of(), RUN.check(TestNets.mln(TestNets.mlnConf(new Adam(PlateauSchedule.builder(warmup())
                .patience(3).build()))), loss));
    }
}
