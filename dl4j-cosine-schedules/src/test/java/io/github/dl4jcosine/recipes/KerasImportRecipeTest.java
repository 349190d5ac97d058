package io.github.dl4jcosine.recipes;

import io.github.dl4jcosine.schedule.KerasSchedules;
import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recipe of docs/keras.md, run on a small model trained by Keras 3 ({@code keras/make_keras_model.py}: 4 inputs,
 * Dense(8, tanh), Dense(3, softmax), Adam with CosineDecay(0.0, 100, alpha=0.1, warmup_target=0.01,
 * warmup_steps=10), 12 steps), saved in the HDF5 layout of tf.keras 2.x that DL4J 1.0.0-M2.1 reads: import it
 * without its training configuration (M2.1 cannot map a schedule in it), read the schedule from the file's
 * {@code training_config}, and continue training with it where Keras stopped. Expected values come from Keras
 * ({@code keras/keras-model.json}): its predictions, and its rate at each of the next 20 steps.
 */
class KerasImportRecipeTest {

    @Test
    void continuesTrainingWithTheKerasSchedule() throws Exception {
        File h5 = resource("/keras/keras-model.h5");
        JsonNode expected;
        try (InputStream in = KerasImportRecipeTest.class.getResourceAsStream("/keras/keras-model.json")) {
            expected = new ObjectMapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }

        // 1. the model and its weights, without the training configuration
        MultiLayerNetwork imported = KerasModelImport.importKerasSequentialModelAndWeights(h5.getPath(), false);
        INDArray inputs = matrix(expected.get("inputs"));
        INDArray predictions = imported.output(inputs);
        INDArray keras = matrix(expected.get("predictions"));
        assertTrue(predictions.equalsWithEps(keras, 1e-5), predictions + " vs Keras " + keras);

        // 2. the schedule, from the optimizer in the file's training_config
        String trainingConfig;
        try (Hdf5Archive archive = new Hdf5Archive(h5.getPath())) {
            trainingConfig = archive.readAttributeAsJson("training_config");
        }
        ISchedule schedule = KerasSchedules.fromConfig(trainingConfig);
        assertEquals(new WarmupCosineSchedule(ScheduleType.ITERATION, 0.01, 0.0, 0.1 * 0.01, 10, 110), schedule);

        // 3. a loss on top (the softmax is already in the last imported layer), Adam as Keras had it, the schedule
        MultiLayerNetwork net = new TransferLearning.Builder(imported)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder()
                        .updater(new Adam(0.001, 0.9, 0.999, 1e-7)).build())
                .addLayer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY)
                        .build())
                .build();
        net.setLearningRate(schedule);
        int steps = expected.get("steps").asInt();
        net.getLayerWiseConfigurations().setIterationCount(steps);   // Keras made 12 steps: continue at step 12

        // 4. every update applies Keras's rate for that step
        JsonNode rates = expected.get("rates");
        DataSet data = data(inputs.rows());
        INDArray before = net.params().dup();
        for (int k = 0; k < rates.size(); k++) {
            double kerasRate = rates.get(k).asDouble();
            for (int layer = 0; layer < 2; layer++) {
                assertEquals(kerasRate, net.getLearningRate(layer), 1e-6 * 0.01, "step " + (steps + k));
            }
            net.fit(data);
        }
        assertEquals(steps + rates.size(), net.getIterationCount());
        assertNotEquals(before, net.params());
        assertTrue(Double.isFinite(net.score()));
        assertTrue(predictions.equalsWithEps(imported.output(inputs), 1e-5),
                "TransferLearning trains a copy: the imported network is unchanged");
    }

    private static INDArray matrix(JsonNode rows) {
        double[][] values = new double[rows.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = new double[rows.get(i).size()];
            for (int j = 0; j < values[i].length; j++) {
                values[i][j] = rows.get(i).get(j).asDouble();
            }
        }
        return Nd4j.create(values).castTo(DataType.FLOAT);
    }

    private static DataSet data(int rows) {
        Nd4j.getRandom().setSeed(3);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, rows, 3);
        for (int i = 0; i < rows; i++) {
            labels.putScalar(i, i % 3, 1.0);
        }
        return new DataSet(Nd4j.rand(DataType.FLOAT, rows, 4), labels);
    }

    private static File resource(String name) throws Exception {
        URL url = KerasImportRecipeTest.class.getResource(name);
        assertTrue(url != null, "missing " + name);
        return new File(url.toURI());
    }
}
