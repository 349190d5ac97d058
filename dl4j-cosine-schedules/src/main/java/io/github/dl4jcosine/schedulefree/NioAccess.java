package io.github.dl4jcosine.schedulefree;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Direct access to a contiguous CPU array's memory through a NIO buffer, for the fused update loop. The buffer
 * covers the array's data buffer; {@link #base} is the absolute index of the array's element 0. Each mapping is
 * verified before use (element 0 and the last element read the same through ND4J and through the buffer, and, for
 * the arrays the update writes, a value written through the buffer reads back through ND4J; the parameters, which
 * another thread may be reading, are only read): when anything does not match, there is no fast path and the
 * caller uses ND4J's operations.
 */
final class NioAccess {

    final DoubleBuffer doubles;
    final FloatBuffer floats;
    final int base;

    private NioAccess(DoubleBuffer doubles, FloatBuffer floats, int base) {
        this.doubles = doubles;
        this.floats = floats;
        this.base = base;
    }

    /** The checked mapping of {@code a} (length {@code n}, DOUBLE or FLOAT), or null when there is none. */
    static NioAccess of(INDArray a, long n) {
        return of(a, n, true);
    }

    /** As {@link #of(INDArray, long)}; {@code writable} false checks by reading only. */
    static NioAccess of(INDArray a, long n, boolean writable) {
        if (a == null || a.length() != n || n == 0 || n > Integer.MAX_VALUE / 2 || !contiguous(a)
                || !Nd4j.getEnvironment().isCPU()) {
            return null;
        }
        try {
            if (a.dataType() == DataType.DOUBLE) {
                DoubleBuffer b = a.data().asNioDouble();
                int base = b.position();
                if ((long) base + n > b.limit()) {
                    return null;
                }
                NioAccess access = new NioAccess(b, null, base);
                return access.matches(a, n, writable) ? access : null;
            }
            if (a.dataType() == DataType.FLOAT) {
                FloatBuffer b = a.data().asNioFloat();
                int base = b.position();
                if ((long) base + n > b.limit()) {
                    return null;
                }
                NioAccess access = new NioAccess(null, b, base);
                return access.matches(a, n, writable) ? access : null;
            }
        } catch (RuntimeException notDirect) {
            return null;
        }
        return null;
    }

    /** Elements at consecutive positions of the data buffer, in the array's own order. */
    private static boolean contiguous(INDArray a) {
        return a.length() == 1 || a.elementWiseStride() == 1;
    }

    private double read(int i) {
        return doubles != null ? doubles.get(base + i) : floats.get(base + i);
    }

    private void write(int i, double value) {
        if (doubles != null) {
            doubles.put(base + i, value);
        } else {
            floats.put(base + i, (float) value);
        }
    }

    private boolean matches(INDArray a, long n, boolean writable) {
        int last = (int) n - 1;
        if (Double.doubleToRawLongBits(read(0)) != Double.doubleToRawLongBits(a.getDouble(0))
                || Double.doubleToRawLongBits(read(last)) != Double.doubleToRawLongBits(a.getDouble(last))
                || Double.doubleToRawLongBits(read(last / 2)) != Double.doubleToRawLongBits(a.getDouble(last / 2))) {
            return false;
        }
        if (!writable) {
            return true;
        }
        double old = read(0);
        double probe = old == 1.5 ? 2.5 : 1.5;
        write(0, probe);
        boolean seen = a.getDouble(0) == probe;
        write(0, old);
        return seen;
    }
}
