package io.github.dl4jcosine.schedulefree;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Keeps a network's updater state when DL4J drops it. {@code MultiLayerNetwork.clear()} discards the network's
 * solver, and with it the updater and its state; the next use creates a fresh updater whose state is zero. For
 * Adam that restarts the moments; for a schedule-free updater it loses {@code x - y}, so x would silently equal
 * y. DL4J M2.1's ParallelWrapper calls {@code clear()} on the original network at the end of every {@code fit}.
 *
 * <p>{@link #remember} keeps a reference to the state array of the network's current updater (no copy: the
 * array follows training, and outlives the dropped updater because it is referenced here). {@link #recover}
 * copies it into the network's updater when that updater is a different, fresh one (state all zero) and the
 * remembered state has the same length and is not all zero. Networks are held weakly and compared by identity.
 */
final class UpdaterStates {

    private static final List<Entry> ENTRIES = new ArrayList<>();

    private static final class Entry {
        final WeakReference<Model> net;
        WeakReference<Object> updater;
        INDArray state;

        Entry(Model net) {
            this.net = new WeakReference<>(net);
        }
    }

    private UpdaterStates() {
    }

    private static Object updater(Model net) {
        return net instanceof MultiLayerNetwork ? ((MultiLayerNetwork) net).getUpdater(true)
                : ((ComputationGraph) net).getUpdater(true);
    }

    private static INDArray stateOf(Object updater) {
        return updater instanceof org.deeplearning4j.nn.api.Updater
                ? ((org.deeplearning4j.nn.api.Updater) updater).getStateViewArray() : null;
    }

    /** The entry of {@code net} (created when {@code create}), dropping entries of collected networks. */
    private static Entry entry(Model net, boolean create) {
        for (Iterator<Entry> it = ENTRIES.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            Model m = e.net.get();
            if (m == null) {
                it.remove();
            } else if (m == net) {
                return e;
            }
        }
        if (!create) {
            return null;
        }
        Entry e = new Entry(net);
        ENTRIES.add(e);
        return e;
    }

    /** Remembers the state array of {@code net}'s current updater (an initialized MultiLayerNetwork or graph). */
    static synchronized void remember(Model net) {
        Object updater = updater(net);
        Entry e = entry(net, true);
        e.updater = new WeakReference<>(updater);
        e.state = stateOf(updater);
    }

    /**
     * Whether {@code net}'s updater was replaced by a fresh one while a remembered state of the same layout holds
     * something: the state DL4J dropped.
     */
    static synchronized boolean dropped(Model net) {
        Entry e = entry(net, false);
        if (e == null || e.state == null) {
            return false;
        }
        Object updater = updater(net);
        if (e.updater.get() == updater) {
            return false;
        }
        INDArray now = stateOf(updater);
        return now != null && now.length() == e.state.length() && now.amaxNumber().doubleValue() == 0
                && e.state.amaxNumber().doubleValue() != 0;
    }

    /** Copies the remembered state into {@code net}'s fresh updater when {@link #dropped}; then remembers anew. */
    static synchronized boolean recover(Model net) {
        boolean recovered = dropped(net);
        if (recovered) {
            stateOf(updater(net)).assign(entry(net, false).state);
        }
        if (entry(net, false) != null) {
            remember(net);
        }
        return recovered;
    }
}
