package io.github.dl4jcosine.spark;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Measures, on the executors, the learning rate each plain-SGD update applied, read back from the parameters:
 * {@code lr = -(delta . g) / (g . g)}, with g the gradient DL4J computed for that update and delta the change of
 * the parameters. Spark ships a deserialized copy of this listener to every task; in {@code local[n]} mode the
 * executors share the test's JVM, so each copy reports to a static sink under the run's id and the test reads
 * the rows on the driver. Needs {@code Sgd}, no regularization and {@code miniBatch(false)} (the gradient is
 * then applied as computed). Several worker threads may call one copy at once (SharedTrainingMaster), so the
 * state of an update in progress is kept per model.
 */
final class AppliedRates extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 20261129L;
    private static final Map<String, Queue<Row>> SINK = new ConcurrentHashMap<>();

    /**
     * One update: the counters the executor's network passed to the updater, the rate measured from the
     * parameters (meaningful when every layer has the same rate), and the rate the executor's own copy of each
     * layer's updater gives at those counters (what {@code Sgd} multiplied that layer's gradient by, before any
     * gradient-sharing encoding).
     */
    record Row(int iteration, int epoch, double rate, double[] configured, String thread) {
        @Override
        public String toString() {
            return "(" + iteration + ", " + epoch + ") -> " + rate + " (updaters " + Arrays.toString(configured) + ", "
                    + thread + ")";
        }
    }

    private final String run = UUID.randomUUID().toString();
    private transient Map<Model, INDArray[]> pending;

    private synchronized Map<Model, INDArray[]> pending() {
        if (pending == null) {
            pending = new IdentityHashMap<>();
        }
        return pending;
    }

    @Override
    public void onGradientCalculation(Model model) {
        INDArray[] state = {model.params().dup(), model.gradient().gradient().dup()};
        synchronized (this) {
            pending().put(model, state);
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        INDArray[] state;
        synchronized (this) {
            state = pending().remove(model);
        }
        if (state == null) {
            return;
        }
        INDArray delta = model.params().sub(state[0]);
        INDArray g = state[1];
        double gg = g.mul(g).sumNumber().doubleValue();
        double rate = gg == 0 ? 0 : -delta.mul(g).sumNumber().doubleValue() / gg;
        Layer[] layers = ((MultiLayerNetwork) model).getLayers();
        double[] configured = new double[layers.length];
        for (int i = 0; i < layers.length; i++) {
            configured[i] = ((BaseLayer) layers[i].conf().getLayer()).getIUpdater().getLearningRate(iteration, epoch);
        }
        SINK.computeIfAbsent(run, k -> new ConcurrentLinkedQueue<>())
                .add(new Row(iteration, epoch, rate, configured, Thread.currentThread().getName()));
    }

    /** Every row the executors' copies reported so far, in arrival order; clears them. */
    List<Row> drain() {
        Queue<Row> q = SINK.remove(run);
        return q == null ? Collections.emptyList() : new ArrayList<>(q);
    }
}
