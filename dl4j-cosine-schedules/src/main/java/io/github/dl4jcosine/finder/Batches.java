package io.github.dl4jcosine.finder;

import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

import java.util.Iterator;

/**
 * One minibatch per update from the caller's iterator, which is reset and reused when it runs out; reset once more
 * after the sweep when it supports it.
 *
 * @param <T> {@code DataSet} or {@code MultiDataSet}
 */
final class Batches<T> {

    private final Iterator<T> iterator;
    private final boolean resettable;
    private final Runnable reset;
    private final String name;
    private long taken;

    private Batches(Iterator<T> iterator, boolean resettable, Runnable reset, String name) {
        this.iterator = iterator;
        this.resettable = resettable;
        this.reset = reset;
        this.name = name;
    }

    static Batches<org.nd4j.linalg.dataset.DataSet> of(DataSetIterator iterator, String name) {
        return new Batches<>(iterator, iterator.resetSupported(), iterator::reset, name).checkNotEmpty();
    }

    static Batches<org.nd4j.linalg.dataset.api.MultiDataSet> of(MultiDataSetIterator iterator, String name) {
        return new Batches<>(iterator, iterator.resetSupported(), iterator::reset, name).checkNotEmpty();
    }

    /** Fails unless the iterator has a batch now or after a reset (as {@code fit(iterator)} resets a spent one). */
    private Batches<T> checkNotEmpty() {
        if (!iterator.hasNext() && resettable) {
            reset.run();
        }
        if (!iterator.hasNext()) {
            throw new IllegalArgumentException(name + " (" + iterator.getClass().getName() + ") must have at least"
                    + " one batch" + (resettable ? "; it has none, even after reset()" : "; it has none left and"
                    + " does not support reset()"));
        }
        return this;
    }

    /** The next batch, after a reset if the iterator ran out. */
    T next() {
        if (!iterator.hasNext()) {
            if (!resettable) {
                throw new IllegalArgumentException(name + " (" + iterator.getClass().getName() + ") ran out after "
                        + taken + " batches and does not support reset(); the sweep needs one batch per update:"
                        + " give an iterator that can be reset, or one with at least steps batches");
            }
            reset.run();
            if (!iterator.hasNext()) {
                throw new IllegalArgumentException(name + " (" + iterator.getClass().getName() + ") has no batch"
                        + " after reset() (it had " + taken + " before)");
            }
        }
        T batch = iterator.next();
        taken++;
        return batch;
    }

    /** Resets the iterator if it supports it (after the sweep). */
    void finish() {
        if (resettable) {
            reset.run();
        }
    }
}
