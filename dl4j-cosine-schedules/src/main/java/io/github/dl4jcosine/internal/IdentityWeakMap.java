package io.github.dl4jcosine.internal;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * A map keyed by object identity that does not keep its keys alive: listeners keep per-network state
 * without holding on to networks ({@code ParallelWrapper} builds new replicas on every {@code fit}).
 * Not thread-safe: callers synchronize.
 */
public final class IdentityWeakMap<V> {

    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            if (!(o instanceof Key)) {
                return false;
            }
            Object mine = get();
            return mine != null && mine == ((Key) o).get();
        }
    }

    private final Map<Key, V> map = new HashMap<>();
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();

    /** The value for exactly this object, or null. */
    public V get(Object key) {
        purge();
        return map.get(new Key(key, null));
    }

    /** Sets the value for exactly this object. */
    public void put(Object key, V value) {
        purge();
        map.put(new Key(key, queue), value);
    }

    private void purge() {
        for (Reference<?> r = queue.poll(); r != null; r = queue.poll()) {
            map.remove(r);
        }
    }
}
