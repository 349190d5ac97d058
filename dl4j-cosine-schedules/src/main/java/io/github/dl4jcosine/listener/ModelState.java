package io.github.dl4jcosine.listener;

import io.github.dl4jcosine.internal.IdentityWeakMap;
import io.github.dl4jcosine.internal.UpdaterLayers;
import org.deeplearning4j.nn.api.Model;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link LearningRateListener} keeps per network instance: its model number, each layer's previous rate and
 * last change (to find restarts), and its row layouts (a pattern of shared values seen before is shared, not stored
 * again). Its size depends on the layers and on how many patterns of shared values occur, not on the updates.
 */
final class ModelState {

    /**
     * Every network's state, by identity, without keeping networks alive; numbers each new network 0, 1, ... A
     * deserialized copy (a Spark executor's) has seen no network yet and numbers new ones after the original's.
     */
    static final class All implements Serializable {
        private static final long serialVersionUID = 20261129L;

        private int models;
        private transient IdentityWeakMap<ModelState> states = new IdentityWeakMap<>();

        /** The state of {@code model}, made anew (keeping its number) when its layers changed. */
        ModelState of(Model model, List<UpdaterLayers.Entry> layers) {
            ModelState state = states.get(model);
            if (state == null || state.names.length != layers.size()) {
                String[] names = new String[layers.size()];
                for (int i = 0; i < names.length; i++) {
                    names[i] = layers.get(i).name;
                }
                state = new ModelState(state == null ? models++ : state.model, names);
                states.put(model, state);
            }
            return state;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            states = new IdentityWeakMap<>();
        }
    }

    final int model;
    final String[] names;
    private final double[] previous;
    private final double[] lastChange;
    private final Map<List<Integer>, RateRows.Layout> layouts = new HashMap<>();
    private RateRows.Layout layout;

    ModelState(int model, String[] names) {
        this.model = model;
        this.names = names;
        this.previous = new double[names.length];
        this.lastChange = new double[names.length];
        Arrays.fill(previous, Double.NaN);
    }

    /**
     * Takes this update's rates; returns a restart when some layer's rate rose right after it last fell (a warmup,
     * which only rises, is not one), else null.
     */
    LearningRateListener.Restart restartAt(double[] lr, int iteration, int epoch) {
        List<String> restarted = new ArrayList<>();
        double before = 0;
        double after = 0;
        for (int i = 0; i < lr.length; i++) {
            double prev = previous[i];
            previous[i] = lr[i];
            if (!Double.isNaN(prev) && lr[i] != prev) {
                double change = lr[i] - prev;
                if (change > 0 && lastChange[i] < 0) {
                    if (restarted.isEmpty()) {
                        before = prev;
                        after = lr[i];
                    }
                    restarted.add(names[i]);
                }
                lastChange[i] = change;
            }
        }
        return restarted.isEmpty() ? null
                : new LearningRateListener.Restart(iteration, epoch, restarted, before, after, model);
    }

    /** This update's rates as a compact row: the distinct values (bit for bit) and the shared layout. */
    RateRows.Row row(double[] lr, int iteration, int epoch) {
        double[] distinct = new double[lr.length];
        int[] slot = new int[lr.length];
        int count = 0;
        for (int i = 0; i < lr.length; i++) {
            int s = 0;
            while (s < count && Double.doubleToLongBits(distinct[s]) != Double.doubleToLongBits(lr[i])) {
                s++;
            }
            if (s == count) {
                distinct[count++] = lr[i];
            }
            slot[i] = s;
        }
        if (layout == null || !Arrays.equals(layout.slot, slot)) {
            List<Integer> key = new ArrayList<>(slot.length);
            for (int s : slot) {
                key.add(s);
            }
            layout = layouts.get(key);
            if (layout == null) {
                layout = new RateRows.Layout(names, slot);
                layouts.put(key, layout);
            }
        }
        return new RateRows.Row(iteration, epoch, model, layout, Arrays.copyOf(distinct, count));
    }
}
