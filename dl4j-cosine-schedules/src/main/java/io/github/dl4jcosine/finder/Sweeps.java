package io.github.dl4jcosine.finder;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/** The sweep itself, for each kind of network and iterator: copy, put the sweep's rate in, train, record. */
final class Sweeps {

    /** One update of the copy on the next batch; returns the score DL4J computed for it (before its step). */
    private interface Update {
        double run();
    }

    private Sweeps() {
    }

    static LearningRateFinder.Result run(LearningRateFinder finder, MultiLayerNetwork net, DataSetIterator trainIter) {
        checkNotNull(net, trainIter);
        Batches<DataSet> batches = Batches.of(trainIter, "trainIter");
        try {
            MultiLayerNetwork copy = NetworkCopies.copy(net);
            installRate(finder, (BaseMultiLayerUpdater<?>) copy.getUpdater(), copy.getIterationCount());
            return record(finder, () -> {
                copy.fit(batches.next());
                return copy.score();
            });
        } finally {
            batches.finish();
        }
    }

    static LearningRateFinder.Result run(LearningRateFinder finder, ComputationGraph net, DataSetIterator trainIter) {
        checkNotNull(net, trainIter);
        int inputs = net.getConfiguration().getNetworkInputs().size();
        int outputs = net.getConfiguration().getNetworkOutputs().size();
        if (inputs != 1 || outputs != 1) {
            throw new IllegalArgumentException("trainIter (a DataSetIterator) needs a graph with one input and one"
                    + " output; net has " + inputs + " and " + outputs + ": give a MultiDataSetIterator");
        }
        Batches<DataSet> batches = Batches.of(trainIter, "trainIter");
        try {
            ComputationGraph copy = NetworkCopies.copy(net);
            installRate(finder, copy.getUpdater(), copy.getIterationCount());
            return record(finder, () -> {
                copy.fit(batches.next());
                return copy.score();
            });
        } finally {
            batches.finish();
        }
    }

    static LearningRateFinder.Result run(LearningRateFinder finder, ComputationGraph net,
                                         MultiDataSetIterator trainIter) {
        checkNotNull(net, trainIter);
        Batches<MultiDataSet> batches = Batches.of(trainIter, "trainIter");
        try {
            ComputationGraph copy = NetworkCopies.copy(net);
            installRate(finder, copy.getUpdater(), copy.getIterationCount());
            return record(finder, () -> {
                copy.fit(batches.next());
                return copy.score();
            });
        } finally {
            batches.finish();
        }
    }

    private static void checkNotNull(Object net, Object trainIter) {
        if (net == null) {
            throw new IllegalArgumentException("net (null) must not be null");
        }
        if (trainIter == null) {
            throw new IllegalArgumentException("trainIter (null) must not be null");
        }
    }

    private static void installRate(LearningRateFinder finder, BaseMultiLayerUpdater<?> updater, int iteration) {
        SweepSchedule schedule = new SweepSchedule(finder.minValue(), finder.maxValue(), finder.steps(), iteration);
        if (UpdaterStates.installRate(updater, schedule) == 0) {
            throw new IllegalArgumentException("net must have a layer whose updater has a learning rate (it has none:"
                    + " AdaDelta and NoOp have no rate, frozen layers have none to sweep)");
        }
    }

    private static LearningRateFinder.Result record(LearningRateFinder finder, Update update) {
        Curve curve = new Curve(finder.minValue(), finder.maxValue(), finder.steps(), finder.smoothing(),
                finder.divergenceFactor());
        boolean stop = false;
        while (!stop && curve.size() < finder.steps()) {
            stop = curve.add(update.run());
        }
        return curve.result();
    }
}
