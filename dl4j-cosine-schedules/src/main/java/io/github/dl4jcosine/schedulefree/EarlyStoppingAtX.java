package io.github.dl4jcosine.schedulefree;

import org.deeplearning4j.earlystopping.EarlyStoppingModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;

/** {@link ScheduleFree#scoreAtX} and {@link ScheduleFree#saveAtX}: EarlyStoppingTrainer's hooks, run at x. */
@SuppressWarnings("try") // the EvalMode resources are opened for their scope, not referenced (javac -Xlint:try)
final class EarlyStoppingAtX {

    private EarlyStoppingAtX() {
    }

    /** Opens an EvalMode on {@code net}, recomputing BatchNorm statistics when {@code bnData} is given. */
    static ScheduleFree.EvalMode open(Model net, DataSetIterator bnData, int bnBatches) {
        ScheduleFree.EvalMode x = ScheduleFree.evalMode(net);
        if (bnData != null) {
            try {
                x.recomputeBatchNormStatistics(bnData, bnBatches);
            } catch (RuntimeException e) {
                x.close();
                throw e;
            }
        }
        return x;
    }

    static final class Score<T extends Model> implements ScoreCalculator<T> {
        private static final long serialVersionUID = 20261201L;
        private final ScoreCalculator<T> calculator;
        /** Not serialized: iterators rarely are. */
        private final transient DataSetIterator bnData;
        private final int bnBatches;

        Score(ScoreCalculator<T> calculator, DataSetIterator bnData, int bnBatches) {
            this.calculator = calculator;
            this.bnData = bnData;
            this.bnBatches = bnBatches;
        }

        @Override
        public double calculateScore(T network) {
            try (ScheduleFree.EvalMode x = open(network, bnData, bnBatches)) {
                return calculator.calculateScore(network);
            }
        }

        @Override
        public boolean minimizeScore() {
            return calculator.minimizeScore();
        }

        @Override
        public String toString() {
            return "ScheduleFree.scoreAtX(" + calculator + ")";
        }
    }

    static final class Save<T extends Model> implements EarlyStoppingModelSaver<T> {
        private static final long serialVersionUID = 20261201L;
        private final EarlyStoppingModelSaver<T> saver;
        private final transient DataSetIterator bnData;
        private final int bnBatches;

        Save(EarlyStoppingModelSaver<T> saver, DataSetIterator bnData, int bnBatches) {
            this.saver = saver;
            this.bnData = bnData;
            this.bnBatches = bnBatches;
        }

        @Override
        public void saveBestModel(T net, double score) throws IOException {
            try (ScheduleFree.EvalMode x = open(net, bnData, bnBatches)) {
                saver.saveBestModel(net, score);
            }
        }

        @Override
        public void saveLatestModel(T net, double score) throws IOException {
            try (ScheduleFree.EvalMode x = open(net, bnData, bnBatches)) {
                saver.saveLatestModel(net, score);
            }
        }

        @Override
        public T getBestModel() throws IOException {
            return saver.getBestModel();
        }

        @Override
        public T getLatestModel() throws IOException {
            return saver.getLatestModel();
        }

        @Override
        public String toString() {
            return "ScheduleFree.saveAtX(" + saver + ")";
        }
    }
}
