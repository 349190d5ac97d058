package io.github.dl4jcosine.finder;

import org.nd4j.linalg.dataset.AsyncDataSetIterator;
import org.nd4j.linalg.dataset.AsyncMultiDataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

import java.util.Iterator;

/**
 * One minibatch per update from the caller's iterator, which is reset and reused when it runs out, and reset once
 * more after the sweep when it supports it. An iterator that allows it ({@code asyncSupported()}) is read ahead by a
 * background thread, as {@code fit(iterator)} does (two batches, in a workspace); the thread ends with the sweep.
 *
 * @param <T> {@code DataSet} or {@code MultiDataSet}
 */
final class Batches<T> {

    private final Iterator<T> iterator;
    private final boolean resettable;
    private final Runnable reset;
    private final Runnable finish;
    private final String name;
    private final String className;
    private long taken;

    private Batches(Iterator<T> iterator, boolean resettable, Runnable reset, Runnable finish, String name,
                    String className) {
        this.iterator = iterator;
        this.resettable = resettable;
        this.reset = reset;
        this.finish = finish;
        this.name = name;
        this.className = className;
    }

    static Batches<org.nd4j.linalg.dataset.DataSet> of(DataSetIterator base, String name) {
        boolean resettable = base.resetSupported();
        checkNotEmpty(base, resettable, base::reset, name);
        Runnable resetBase = () -> {
            if (resettable) {
                base.reset();
            }
        };
        if (base.asyncSupported()) {
            AsyncDataSetIterator async = new AsyncDataSetIterator(base, 2, true);
            return new Batches<>(async, resettable, async::reset, () -> {
                async.shutdown();
                resetBase.run();
            }, name, base.getClass().getName());
        }
        return new Batches<>(base, resettable, base::reset, resetBase, name, base.getClass().getName());
    }

    static Batches<org.nd4j.linalg.dataset.api.MultiDataSet> of(MultiDataSetIterator base, String name) {
        boolean resettable = base.resetSupported();
        checkNotEmpty(base, resettable, base::reset, name);
        Runnable resetBase = () -> {
            if (resettable) {
                base.reset();
            }
        };
        if (base.asyncSupported()) {
            AsyncMultiDataSetIterator async = new AsyncMultiDataSetIterator(base, 2, true);
            return new Batches<>(async, resettable, async::reset, () -> {
                async.shutdown();
                resetBase.run();
            }, name, base.getClass().getName());
        }
        return new Batches<>(base, resettable, base::reset, resetBase, name, base.getClass().getName());
    }

    /** Fails unless the iterator has a batch now or after a reset (as {@code fit(iterator)} resets a spent one). */
    private static void checkNotEmpty(Iterator<?> iterator, boolean resettable, Runnable reset, String name) {
        if (!iterator.hasNext() && resettable) {
            reset.run();
        }
        if (!iterator.hasNext()) {
            throw new IllegalArgumentException(name + " (" + iterator.getClass().getName() + ") must have at least"
                    + " one batch" + (resettable ? "; it has none, even after reset()" : "; it has none left and"
                    + " does not support reset()"));
        }
    }

    /** The next batch, after a reset if the iterator ran out. */
    T next() {
        if (!iterator.hasNext()) {
            if (!resettable) {
                throw new IllegalArgumentException(name + " (" + className + ") ran out after " + taken
                        + " batches and does not support reset(); the sweep needs one batch per update: give an"
                        + " iterator that can be reset, or one with at least steps batches");
            }
            reset.run();
            if (!iterator.hasNext()) {
                throw new IllegalArgumentException(name + " (" + className + ") has no batch after reset() (it had "
                        + taken + " before)");
            }
        }
        T batch = iterator.next();
        taken++;
        return batch;
    }

    /** Ends the read-ahead thread, if any, and resets the iterator if it supports it (after the sweep). */
    void finish() {
        finish.run();
    }
}
