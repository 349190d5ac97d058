package io.github.dl4jcosine.finder;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * A least-squares problem whose gradient-descent divergence rate is known in closed form.
 *
 * <p>{@code h_1 .. h_4} are columns 1 to 4 of the 8x8 Sylvester-Hadamard matrix ({@code h_i . h_j = 8 delta_ij}).
 * {@code X = [2 h_1, 1 h_2, 0.5 h_3]} (8 x 3), {@code y = X w* + 0.3 h_4} with {@code w* = (1, -2, 3)}. The loss
 * {@code L(w) = mean((X w - y)^2) = 0.09 + 4 (w_1 - 1)^2 + (w_2 + 2)^2 + 0.25 (w_3 - 3)^2} ({@code h_4} is orthogonal
 * to the columns of X). Its gradient is {@code (2/8) X^T (X w - y)}, its Hessian {@code (2/8) X^T X = diag(8, 2, 0.5)}:
 * {@code lambda_max = 8}. Gradient descent at a constant rate {@code lr} multiplies the error along {@code h_1} by
 * {@code (1 - 8 lr)} per step, so it diverges for {@code lr > 2 / lambda_max = 0.25}.
 *
 * <p>In DL4J: one output, identity activation, MSE, no bias, {@code WeightInit.ZERO}, double precision, {@code Sgd}:
 * DL4J's MSE with minibatch averaging is {@code mean((w.x - y)^2)} and its update is plain gradient descent.
 */
final class LeastSquares {

    static final double DIVERGENCE_RATE = 0.25;
    static final int ROWS = 8;
    static final int COLUMNS = 3;

    private LeastSquares() {
    }

    /** Row {@code r} of the Sylvester-Hadamard matrix of order 8, column {@code c}: (-1)^popcount(r & c). */
    static double hadamard(int r, int c) {
        return Integer.bitCount(r & c) % 2 == 0 ? 1 : -1;
    }

    static double[][] x() {
        double[] sigma = {2, 1, 0.5};
        double[][] x = new double[ROWS][COLUMNS];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLUMNS; c++) {
                x[r][c] = sigma[c] * hadamard(r, c + 1);
            }
        }
        return x;
    }

    static double[] y() {
        double[] w = {1, -2, 3};
        double[][] x = x();
        double[] y = new double[ROWS];
        for (int r = 0; r < ROWS; r++) {
            y[r] = 0.3 * hadamard(r, 4);
            for (int c = 0; c < COLUMNS; c++) {
                y[r] += x[r][c] * w[c];
            }
        }
        return y;
    }

    /** Rows {@code [from, to)} as a DataSet. */
    static DataSet rows(int from, int to) {
        double[][] x = x();
        double[] y = y();
        double[][] xs = new double[to - from][];
        double[][] ys = new double[to - from][];
        for (int r = from; r < to; r++) {
            xs[r - from] = x[r];
            ys[r - from] = new double[] {y[r]};
        }
        return new DataSet(Nd4j.create(xs), Nd4j.create(ys));
    }

    /** The 8 rows in minibatches of {@code batch}, in order, without shuffling. */
    static ListDataSetIterator<DataSet> iterator(int batch) {
        List<DataSet> rows = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            rows.add(rows(r, r + 1));
        }
        return new ListDataSetIterator<>(rows, batch);
    }

    private static NeuralNetConfiguration.Builder builder() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        return new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE).updater(new Sgd(0.5))
                .weightInit(WeightInit.ZERO);
    }

    private static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(COLUMNS).nOut(1)
                .activation(Activation.IDENTITY).hasBias(false).build();
    }

    static MultiLayerNetwork mln() {
        MultiLayerNetwork net = new MultiLayerNetwork(builder().list().layer(output()).build());
        net.init();
        return net;
    }

    static ComputationGraph graph() {
        ComputationGraph net = new ComputationGraph(builder().graphBuilder().addInputs("in")
                .addLayer("out", output(), "in").setOutputs("out").build());
        net.init();
        return net;
    }

    /**
     * Gradient descent on {@code mean((X_b w - y_b)^2)} from {@code w = 0}, in double, written out here: update
     * {@code k} uses minibatch {@code k mod (8/batch)} (rows in order) and rate {@code rates[k]}; returns the loss of
     * each update before its step.
     */
    static double[] gradientDescent(double[] rates, int batch) {
        double[][] x = x();
        double[] y = y();
        double[] w = new double[COLUMNS];
        double[] losses = new double[rates.length];
        int batches = ROWS / batch;
        for (int k = 0; k < rates.length; k++) {
            int first = (k % batches) * batch;
            double[] error = new double[batch];
            double loss = 0;
            for (int r = 0; r < batch; r++) {
                double pred = 0;
                for (int c = 0; c < COLUMNS; c++) {
                    pred += x[first + r][c] * w[c];
                }
                error[r] = pred - y[first + r];
                loss += error[r] * error[r];
            }
            losses[k] = loss / batch;
            for (int c = 0; c < COLUMNS; c++) {
                double g = 0;
                for (int r = 0; r < batch; r++) {
                    g += x[first + r][c] * error[r];
                }
                w[c] -= rates[k] * 2 * g / batch;
            }
        }
        return losses;
    }
}
