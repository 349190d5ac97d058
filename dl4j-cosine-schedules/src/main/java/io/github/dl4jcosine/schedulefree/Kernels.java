package io.github.dl4jcosine.schedulefree;

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
 * writes g, v, e: what DL4J's own Adam op touches); elsewhere (GPU backends, other types or layouts) a few
 * ND4J operations compute the same values ({@link #generic}).
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

    // One hot loop per method: the JIT compiles each on its own profile. (With both loops in one method, the loop
    // used second ran 1.5 to 2 times slower than in a method of its own.)

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
                                    int vi0, DoubleBuffer yb, int yi0, double wd, double beta2, double bc2, double eps,
                                    double a, double b, double p, double q) {
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

    /** As {@link #doubles}, computed in double and stored in float. */
    private static void floats(Hyper h, Step s, int n, NioAccess g, NioAccess e, NioAccess v, NioAccess y,
                               double wd) {
        FloatBuffer yb = y == null ? null : y.floats;
        int yi0 = y == null ? 0 : y.base;
        if (v != null) {
            adamFloats(n, g.floats, g.base, e.floats, e.base, v.floats, v.base, yb, yi0, wd, h.beta2, s.bc2,
                    h.epsilon, s.a, s.b, s.p, s.q);
        } else {
            sgdFloats(n, g.floats, g.base, e.floats, e.base, yb, yi0, wd, s.a, s.b, s.p, s.q);
        }
    }

    private static void adamFloats(int n, FloatBuffer gb, int gi0, FloatBuffer eb, int ei0, FloatBuffer vb, int vi0,
                                   FloatBuffer yb, int yi0, double wd, double beta2, double bc2, double eps, double a,
                                   double b, double p, double q) {
        double oneMinusBeta2 = 1 - beta2;
        for (int i = 0; i < n; i++) {
            double gi = gb.get(gi0 + i);
            float vi = (float) (vb.get(vi0 + i) * beta2 + oneMinusBeta2 * gi * gi);
            vb.put(vi0 + i, vi);
            double d = gi / (Math.sqrt(vi / bc2) + eps);
            if (yb != null) {
                d += wd * yb.get(yi0 + i);
            }
            double ei = eb.get(ei0 + i);
            gb.put(gi0 + i, (float) (a * ei + b * d));
            eb.put(ei0 + i, (float) (p * (ei + q * d)));
        }
    }

    private static void sgdFloats(int n, FloatBuffer gb, int gi0, FloatBuffer eb, int ei0, FloatBuffer yb, int yi0,
                                  double wd, double a, double b, double p, double q) {
        for (int i = 0; i < n; i++) {
            double d = gb.get(gi0 + i);
            if (yb != null) {
                d += wd * yb.get(yi0 + i);
            }
            double ei = eb.get(ei0 + i);
            gb.put(gi0 + i, (float) (a * ei + b * d));
            eb.put(ei0 + i, (float) (p * (ei + q * d)));
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
            Nd4j.exec(new RmsPropUpdater(g, v, root, h.beta2, h.epsilon * root));
        }
        if (y != null) {
            Nd4j.getBlasWrapper().level1().axpy(n, h.weightDecay, y, g);
        }
        g.muli(s.b);
        Nd4j.getBlasWrapper().level1().axpy(n, s.a, e, g);
        e.addi(g).muli(s.p * s.q / s.b);
    }
}
