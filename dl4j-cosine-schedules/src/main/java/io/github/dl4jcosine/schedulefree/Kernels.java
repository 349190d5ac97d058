package io.github.dl4jcosine.schedulefree;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.RmsPropUpdater;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * The element-wise part of one schedule-free step, in place. Inputs: the gradient {@code g} (taken at y),
 * the state {@code e = x - y} and, for AdamW, {@code v}; {@code y} (the parameters) only with weight decay.
 * With the per-step scalars of {@link Step}:
 * <pre>{@code
 * v = v * beta2 + (1 - beta2) * g * g                    (AdamW)
 * d = g / (sqrt(v / bc2) + epsilon)   (AdamW)   or   d = g   (SGD)
 * d = d + weightDecay * y                                (weight decay > 0)
 * g = a * e + b * d                                      the update DL4J subtracts from y
 * e = p * (e + q * d)                                    x - y after the step
 * }</pre>
 * On the CPU backend with DOUBLE or FLOAT arrays this is one fused pass over the memory (reads g, v, e, y;
 * writes g, v, e: what DL4J's own Adam op touches), computed in the arrays' own type as the package computes in a
 * float64 or float32 model; elsewhere (GPU backends, other types or layouts) a few ND4J operations compute the same
 * values ({@link #generic}).
 */
final class Kernels {

    private Kernels() {
    }

    /** Per-step scalars: the coefficients above and, for AdamW, {@code bc2 = 1 - beta2^(k+1)}. */
    static final class Step {
        final double a;
        final double b;
        final double p;
        final double q;
        final double bc2;

        Step(double a, double b, double p, double q, double bc2) {
            this.a = a;
            this.b = b;
            this.p = p;
            this.q = q;
            this.bc2 = bc2;
        }

        /**
         * The scalars of the step with averaging weight {@code c}, interpolation {@code beta} (beta1 or momentum)
         * and rate {@code lr}: {@code a = c * beta / (1 - beta)}, {@code b = lr * (1 - beta * (1 - c))},
         * {@code p = 1 - c}, {@code q = (1 - beta) * lr} ({@link #generic} relies on how they relate).
         */
        static Step of(double c, double beta, double lr, double bc2) {
            return new Step(c * beta / (1 - beta), lr * (1 - beta * (1 - c)), 1 - c, (1 - beta) * lr, bc2);
        }
    }

    /** One step: the fused CPU pass when it applies, else {@link #generic}. */
    static void step(Hyper h, Step s, INDArray g, INDArray e, INDArray v, INDArray y) {
        if (!fused(h, s, g, e, v, y)) {
            generic(h, s, g, e, v, y);
        }
    }

    /** The fused pass, when every array maps to a NIO buffer of one type; false (nothing done) otherwise. */
    static boolean fused(Hyper h, Step s, INDArray g, INDArray e, INDArray v, INDArray y) {
        long n = g.length();
        if (e.dataType() != g.dataType() || (v != null && v.dataType() != g.dataType())
                || (y != null && y.dataType() != g.dataType())) {
            return false;
        }
        NioAccess gn = NioAccess.of(g, n);
        NioAccess en = gn == null ? null : NioAccess.of(e, n);
        NioAccess vn = v == null || en == null ? null : NioAccess.of(v, n);
        NioAccess yn = y == null || en == null ? null : NioAccess.of(y, n, false);
        if (en == null || (v != null && vn == null) || (y != null && yn == null)) {
            return false;
        }
        double wd = y == null ? 0 : h.weightDecay;
        if (gn.doubles != null) {
            doubles(h, s, (int) n, gn, en, vn, yn, wd);
        } else {
            floats(h, s, (int) n, gn, en, vn, yn, wd);
        }
        return true;
    }

    // One hot loop per method: the JIT compiles each on its own profile. (With two loops in one method, the loop
    // used second ran 1.5 to 2 times slower than in a method of its own.)

    /** Elements per chunk of the float pass (32 KiB per array: the chunk's arrays stay in the L2 cache). */
    private static final int CHUNK = 8192;

    private static void doubles(Hyper h, Step s, int n, NioAccess g, NioAccess e, NioAccess v, NioAccess y,
                                double wd) {
        DoubleBuffer yb = y == null ? null : y.doubles;
        int yi0 = y == null ? 0 : y.base;
        if (v != null) {
            adamDoubles(n, g.doubles, g.base, e.doubles, e.base, v.doubles, v.base, yb, yi0, wd, h.beta2, s.bc2,
                    h.epsilon, s.a, s.b, s.p, s.q);
        } else {
            sgdDoubles(n, g.doubles, g.base, e.doubles, e.base, yb, yi0, wd, s.a, s.b, s.p, s.q);
        }
    }

    private static void adamDoubles(int n, DoubleBuffer gb, int gi0, DoubleBuffer eb, int ei0, DoubleBuffer vb,
                                    int vi0, DoubleBuffer yb, int yi0, double wd, double beta2,
                                    double bc2, double eps, double a, double b, double p, double q) {
        double oneMinusBeta2 = 1 - beta2;
        for (int i = 0; i < n; i++) {
            double gi = gb.get(gi0 + i);
            double vi = vb.get(vi0 + i) * beta2 + oneMinusBeta2 * gi * gi;
            vb.put(vi0 + i, vi);
            double d = gi / (Math.sqrt(vi / bc2) + eps);
            if (yb != null) {
                d += wd * yb.get(yi0 + i);
            }
            double ei = eb.get(ei0 + i);
            gb.put(gi0 + i, a * ei + b * d);
            eb.put(ei0 + i, p * (ei + q * d));
        }
    }

    private static void sgdDoubles(int n, DoubleBuffer gb, int gi0, DoubleBuffer eb, int ei0, DoubleBuffer yb,
                                   int yi0, double wd, double a, double b, double p, double q) {
        for (int i = 0; i < n; i++) {
            double d = gb.get(gi0 + i);
            if (yb != null) {
                d += wd * yb.get(yi0 + i);
            }
            double ei = eb.get(ei0 + i);
            gb.put(gi0 + i, a * ei + b * d);
            eb.put(ei0 + i, p * (ei + q * d));
        }
    }

    /**
     * As {@link #doubles}, in float (as the package computes in a float32 model, and ND4J's operations on FLOAT
     * arrays), chunk by chunk: each chunk is copied into Java arrays, updated there by a plain loop and copied back.
     * On a 1.86 M-parameter block this took a quarter or less of the time of the same pass computed in double directly
     * over the buffers (docs/BENCHMARKS.md 6.1).
     */
    private static void floats(Hyper h, Step s, int n, NioAccess g, NioAccess e, NioAccess v, NioAccess y,
                               double wd) {
        int size = Math.min(CHUNK, n);
        float[] gc = new float[size];
        float[] ec = new float[size];
        float[] vc = v == null ? null : new float[size];
        float[] yc = y == null ? null : new float[size];
        FloatBuffer gb = g.floats.duplicate();
        FloatBuffer eb = e.floats.duplicate();
        FloatBuffer vb = v == null ? null : v.floats.duplicate();
        FloatBuffer yb = y == null ? null : y.floats.duplicate();
        float wdF = (float) wd;
        float beta2 = (float) h.beta2;
        float oneMinusBeta2 = (float) (1 - h.beta2);
        float bc2 = (float) s.bc2;
        // an epsilon below float's smallest number would round to 0, and 0 / 0 where gradient and v are 0
        float eps = Math.max((float) h.epsilon, Float.MIN_VALUE);
        float a = (float) s.a;
        float b = (float) s.b;
        float p = (float) s.p;
        float q = (float) s.q;
        for (int from = 0, to; from < n; from = to) {
            to = from + Math.min(CHUNK, n - from);
            int m = to - from;
            copy(gb, g.base + from, gc, m);
            copy(eb, e.base + from, ec, m);
            if (yc != null) {
                copy(yb, y.base + from, yc, m);
            }
            if (vc != null) {
                copy(vb, v.base + from, vc, m);
                adamFloats(m, gc, ec, vc, yc, wdF, beta2, oneMinusBeta2, bc2, eps, a, b, p, q);
                copyBack(vc, vb, v.base + from, m);
            } else {
                sgdFloats(m, gc, ec, yc, wdF, a, b, p, q);
            }
            copyBack(gc, gb, g.base + from, m);
            copyBack(ec, eb, e.base + from, m);
        }
    }

    private static void copy(FloatBuffer from, int at, float[] to, int m) {
        from.position(at);
        from.get(to, 0, m);
    }

    private static void copyBack(float[] from, FloatBuffer to, int at, int m) {
        to.position(at);
        to.put(from, 0, m);
    }

    private static void adamFloats(int m, float[] g, float[] e, float[] v, float[] y, float wd, float beta2,
                                   float oneMinusBeta2, float bc2, float eps, float a, float b, float p, float q) {
        for (int i = 0; i < m; i++) {
            float gi = g[i];
            float vi = v[i] * beta2 + oneMinusBeta2 * gi * gi;
            v[i] = vi;
            float d = gi / ((float) Math.sqrt(vi / bc2) + eps);
            if (y != null) {
                d += wd * y[i];
            }
            float ei = e[i];
            g[i] = a * ei + b * d;
            e[i] = p * (ei + q * d);
        }
    }

    private static void sgdFloats(int m, float[] g, float[] e, float[] y, float wd, float a, float b, float p,
                                  float q) {
        for (int i = 0; i < m; i++) {
            float d = g[i];
            if (y != null) {
                d += wd * y[i];
            }
            float ei = e[i];
            g[i] = a * ei + b * d;
            e[i] = p * (ei + q * d);
        }
    }

    /**
     * The same step with ND4J operations (any backend, type or layout). AdamW's normalization is ND4J's fused
     * RMSProp op: {@code lr' * g / (sqrt(v) + eps')} with {@code lr' = sqrt(bc2)}, {@code eps' = epsilon *
     * sqrt(bc2)} equals {@code g / (sqrt(v / bc2) + epsilon)}. Then {@code g = b * d + a * e} and, because
     * {@code e + u = (1 - beta * (1 - c)) / (1 - beta) * (e + (1 - beta) * lr_k * d)}, the new state is
     * {@code (p * q / b) * (e + g)}.
     */
    static void generic(Hyper h, Step s, INDArray g, INDArray e, INDArray v, INDArray y) {
        long n = g.length();
        if (v != null) {
            double root = Math.sqrt(s.bc2);
            double eps = h.epsilon * root;
            if (g.dataType() == DataType.FLOAT) {
                eps = Math.max(eps, Float.MIN_VALUE);   // as in the fused pass: never rounded to 0 in float
            }
            Nd4j.exec(new RmsPropUpdater(g, v, root, h.beta2, eps));
        }
        if (y != null) {
            Nd4j.getBlasWrapper().level1().axpy(n, h.weightDecay, y, g);
        }
        g.muli(s.b);
        Nd4j.getBlasWrapper().level1().axpy(n, s.a, e, g);
        e.addi(g).muli(s.p * s.q / s.b);
    }
}
