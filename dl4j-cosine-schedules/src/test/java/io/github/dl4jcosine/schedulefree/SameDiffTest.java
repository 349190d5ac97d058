package io.github.dl4jcosine.schedulefree;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

import java.io.File;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SameDiff's {@code TrainingConfig} with a schedule-free updater (no weight decay: SameDiff has no prepare). The rig
 * {@code loss = sum((in . w) * label)} has the gradient {@code in^T label} whatever w is, so SameDiff's training must
 * give the parameters of the same updater fed that gradient directly (which PackageReferenceTest checks against the
 * package). Save and load with the updater state resume bit for bit. Weight decay is refused, naming prepare.
 */
class SameDiffTest {

    private static final INDArray IN = Nd4j.createFromArray(new double[][] {{1, 2, -1}, {0.5, -1, 3}});
    private static final INDArray LABEL = Nd4j.createFromArray(new double[][] {{0.5, -1}, {0.25, 2}});
    private static final double[] W0 = {0.1, -0.2, 0.3, 0.4, -0.5, 0.6};

    private static SameDiff model(IUpdater updater) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.DOUBLE, -1, 3);
        SDVariable label = sd.placeHolder("label", DataType.DOUBLE, -1, 2);
        SDVariable w = sd.var("w", Nd4j.createFromArray(W0).reshape(3, 2));
        in.mmul(w).mul(label).sum("loss").markAsLoss();
        sd.setTrainingConfig(TrainingConfig.builder().updater(updater).dataSetFeatureMapping("in")
                .dataSetLabelMapping("label").build());
        return sd;
    }

    private static ListDataSetIterator<DataSet> batches(int n) {
        DataSet[] all = new DataSet[n];
        Arrays.fill(all, new DataSet(IN, LABEL));
        return new ListDataSetIterator<>(Arrays.asList(all), 1);
    }

    private static IUpdater updater(boolean adamw) {
        return adamw ? ScheduleFreeAdamW.builder().learningRate(0.05).warmupSteps(2).r(0.5).build()
                : ScheduleFreeSgd.builder().learningRate(0.1).momentum(0.8).warmupSteps(3).build();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void trainsAsTheUpdaterAloneAndResumesBitForBit(boolean adamw, @TempDir File dir) {
        SameDiff sd = model(updater(adamw));
        sd.fit(batches(6), 1);

        // the same updater fed dL/dw = in^T label six times, w in SameDiff's c order
        double[] gradient = IN.transpose().mmul(LABEL).reshape(6).toDoubleVector();
        IUpdater config = updater(adamw);
        ScheduleFreeUpdater alone = (ScheduleFreeUpdater) config.instantiate(Nd4j.zeros(DataType.DOUBLE,
                config.stateSize(6)), true);
        INDArray w = Nd4j.createFromArray(W0.clone());
        for (int k = 0; k < 6; k++) {
            INDArray g = Nd4j.createFromArray(gradient.clone());
            alone.applyUpdater(g, k, 0);
            w.subi(g);
        }
        assertArrayEquals(w.toDoubleVector(), sd.getVariable("w").getArr().reshape(6).toDoubleVector(), 1e-15);

        SameDiff first = model(updater(adamw));
        first.fit(batches(3), 1);
        File saved = new File(dir, "model.sd");
        first.save(saved, true);
        SameDiff resumed = SameDiff.load(saved, true);
        resumed.fit(batches(3), 1);
        assertArrayEquals(sd.getVariable("w").getArr().reshape(6).toDoubleVector(),
                resumed.getVariable("w").getArr().reshape(6).toDoubleVector(), 0.0);
    }

    @Test
    void weightDecayIsRefused() {
        SameDiff sd = model(ScheduleFreeSgd.builder().weightDecay(0.01).build());
        Exception e = assertThrows(Exception.class, () -> sd.fit(batches(1), 1));
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(t.getMessage()).append('\n');
        }
        assertTrue(chain.toString().contains("ScheduleFree.prepare(net)"), chain.toString());
    }
}
