package io.github.dl4jcosine.spark;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Passes every call to a listener of ours, and hands each copy Spark deserializes on an executor back to the test:
 * in {@code local[n]} mode the executors share the test's JVM, so {@code readObject} can register the copy. Only a
 * window onto the copies; the listener itself travels by plain Java serialization, as it would unwrapped.
 */
final class ExecutorCopies<T extends TrainingListener & Serializable> implements TrainingListener, Serializable {

    private static final long serialVersionUID = 20261129L;
    private static final Map<String, Queue<Object>> COPIES = new ConcurrentHashMap<>();

    private final String run = UUID.randomUUID().toString();
    private final T listener;

    ExecutorCopies(T listener) {
        this.listener = listener;
    }

    /** The listener this wrapper was built with (on the driver). */
    T original() {
        return listener;
    }

    /** Every copy deserialized so far, in arrival order. */
    @SuppressWarnings("unchecked")
    List<T> copies() {
        Queue<Object> q = COPIES.get(run);
        List<T> out = new ArrayList<>();
        if (q != null) {
            q.forEach(c -> out.add((T) c));
        }
        return out;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        COPIES.computeIfAbsent(run, k -> new ConcurrentLinkedQueue<>()).add(listener);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        listener.iterationDone(model, iteration, epoch);
    }

    @Override
    public void onEpochStart(Model model) {
        listener.onEpochStart(model);
    }

    @Override
    public void onEpochEnd(Model model) {
        listener.onEpochEnd(model);
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        listener.onForwardPass(model, activations);
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        listener.onForwardPass(model, activations);
    }

    @Override
    public void onGradientCalculation(Model model) {
        listener.onGradientCalculation(model);
    }

    @Override
    public void onBackwardPass(Model model) {
        listener.onBackwardPass(model);
    }
}
