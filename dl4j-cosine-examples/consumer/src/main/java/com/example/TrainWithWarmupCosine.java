package com.example;

import io.github.dl4jcosine.check.ScheduleCheck;
import io.github.dl4jcosine.listener.LearningRateListener;
import io.github.dl4jcosine.schedule.Schedules;
import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.Locale;
import java.util.Random;

/**
 * Trains a small network with Adam under a warmup + cosine learning-rate schedule and prints the rate it
 * applied in each epoch. The data is synthetic (points in a square; is the point inside the circle?), so the
 * run needs no download and takes seconds.
 */
public final class TrainWithWarmupCosine {

    private TrainWithWarmupCosine() {
    }

    public static void main(String[] args) {
        int epochs = 10;
        int batchSize = 32;
        int examples = 1024;
        int iterationsPerEpoch = examples / batchSize;   // 32 updates per epoch

        // Linear warmup from 0 to 0.01 over the first 2 epochs, then a cosine down to 0 at the end of epoch 10.
        // Periods are in epochs; with iterationsPerEpoch the rate moves at every update (fractional epochs),
        // not once per epoch.
        WarmupCosineSchedule schedule = Schedules.warmupCosine(ScheduleType.EPOCH)
                .peakValue(0.01)
                .warmupPeriod(2)
                .totalPeriod(epochs)
                .iterationsPerEpoch(iterationsPerEpoch)
                .build();

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(schedule))
                .list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(32).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        // Before training: does the schedule fit this run (its length, its unit, the updates per epoch)?
        ScheduleCheck.forTraining(epochs, iterationsPerEpoch).checkOrThrow(net);

        LearningRateListener rates = new LearningRateListener();   // the rate each update applied
        net.setListeners(rates);
        DataSetIterator train = new ViewIterator(insideCircle(examples, 1), batchSize);
        DataSetIterator test = new ViewIterator(insideCircle(512, 2), 256);

        System.out.println(schedule);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int firstUpdate = net.getIterationCount();
            net.fit(train);
            int lastUpdate = net.getIterationCount() - 1;
            double accuracy = net.evaluate(test).accuracy();
            System.out.printf(Locale.ROOT, "epoch %2d: learning rate %.6f -> %.6f (updates %d-%d), test accuracy %.3f%n",
                    epoch, rate(rates, firstUpdate), rate(rates, lastUpdate), firstUpdate, lastUpdate, accuracy);
        }
    }

    /** The rate the first layer's updater applied at update {@code iteration} (every layer shares the schedule). */
    private static double rate(LearningRateListener rates, int iteration) {
        for (LearningRateListener.Record r : rates.records()) {
            if (r.iteration() == iteration) {
                return r.learningRate();
            }
        }
        throw new IllegalStateException("no update " + iteration + " was recorded");
    }

    /** {@code n} points uniform in [-1, 1] x [-1, 1], labelled 1 inside the circle x^2 + y^2 < 0.5, else 0. */
    private static DataSet insideCircle(int n, long seed) {
        Random random = new Random(seed);
        INDArray features = Nd4j.create(n, 2);
        INDArray labels = Nd4j.create(n, 2);
        for (int i = 0; i < n; i++) {
            double x = 2 * random.nextDouble() - 1;
            double y = 2 * random.nextDouble() - 1;
            features.putScalar(i, 0, x);
            features.putScalar(i, 1, y);
            labels.putScalar(i, x * x + y * y < 0.5 ? 1 : 0, 1.0);
        }
        return new DataSet(features, labels);
    }
}
