package io.github.dl4jcosine.finder;

/**
 * The three suggestions of {@link LearningRateFinder.Suggestion}, each as the index of the point it comes from
 * ({@code -1}: none, fewer than 2 usable points). The rules are those of the {@code Suggestion} constants' javadoc.
 */
final class Suggestions {

    /** STEEPEST skips this many points at the start (PyTorch Lightning's {@code skip_begin}). */
    static final int STEEPEST_SKIP_START = 10;
    /** STEEPEST skips this many points at the end (Lightning's {@code skip_end}). */
    static final int STEEPEST_SKIP_END = 1;
    /** VALLEY skips this many points at the end (fastai's {@code losses[num_it//10:-5]}). */
    static final int VALLEY_SKIP_END = 5;

    private Suggestions() {
    }

    /**
     * The point in {@code [10, n-1)} with finite {@code s} where {@code numpy.gradient(s, log10(lr))}, computed over
     * those points only, is smallest (the first one on ties).
     */
    static int steepest(double[] rates, double[] smoothed) {
        int n = smoothed.length;
        int[] points = new int[Math.max(0, n - STEEPEST_SKIP_END - STEEPEST_SKIP_START)];
        int m = 0;
        for (int i = STEEPEST_SKIP_START; i < n - STEEPEST_SKIP_END; i++) {
            if (Double.isFinite(smoothed[i])) {
                points[m++] = i;
            }
        }
        if (m < 2) {
            return -1;
        }
        double[] x = new double[m];
        double[] f = new double[m];
        for (int j = 0; j < m; j++) {
            x[j] = Math.log10(rates[points[j]]);
            f[j] = smoothed[points[j]];
        }
        return points[argmin(gradient(f, x))];
    }

    /**
     * fastai's valley on the points {@code [steps/10, n-5)}, cut at the first non-finite {@code s}: with {@code len[i]}
     * the length of the longest strictly decreasing subsequence ending at point {@code i} and {@code e} the first
     * point with the greatest {@code len}, {@code L = len[e]}, and indices counted from the window's first point
     * {@code w}: the point {@code w + max(0, (e - w) - L + int(L/3) + int(L/6))}.
     */
    static int valley(double[] smoothed, int steps) {
        int start = steps / 10;
        int end = smoothed.length - VALLEY_SKIP_END;
        for (int i = start; i < end; i++) {
            if (!Double.isFinite(smoothed[i])) {
                end = i;
                break;
            }
        }
        int m = end - start;
        if (m < 2) {
            return -1;
        }
        // Longest strictly decreasing subsequence ending at each point, in O(m log m): tails[l] is the largest last
        // value of a strictly decreasing subsequence of length l + 1 seen so far (tails is strictly decreasing).
        double[] tails = new double[m];
        int lengths = 0;
        int best = -1;
        int bestLength = 0;
        for (int j = 0; j < m; j++) {
            double v = smoothed[start + j];
            int lo = 0;
            int hi = lengths;           // first l with tails[l] <= v: v extends the subsequence of length l
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (tails[mid] > v) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            tails[lo] = v;
            if (lo == lengths) {
                lengths++;
            }
            int len = lo + 1;
            if (len > bestLength) {     // strictly greater: the first point with the greatest length
                bestLength = len;
                best = j;
            }
        }
        int offset = best - bestLength + bestLength / 3 + bestLength / 6;
        return start + Math.max(0, offset);
    }

    /** The point of the smallest finite {@code s} (the first one on ties), if at least 2 points have a finite one. */
    static int minimum(double[] smoothed) {
        int finite = 0;
        int best = -1;
        for (int i = 0; i < smoothed.length; i++) {
            double v = smoothed[i];
            if (Double.isFinite(v)) {
                finite++;
                if (best < 0 || v < smoothed[best]) {
                    best = i;
                }
            }
        }
        return finite < 2 ? -1 : best;
    }

    /**
     * {@code numpy.gradient(f, x)} (numpy 1.24, {@code edge_order=1}) for {@code f.length >= 2}: second-order
     * central differences inside, one-sided differences at both ends, with numpy's formulas and order of operations
     * for non-uniform spacing and its shortcut when every spacing {@code np.diff(x)} is the same.
     */
    static double[] gradient(double[] f, double[] x) {
        int n = f.length;
        double[] dx = new double[n - 1];
        boolean uniform = true;
        for (int i = 0; i < n - 1; i++) {
            dx[i] = x[i + 1] - x[i];
            uniform &= dx[i] == dx[0];
        }
        double[] out = new double[n];
        for (int i = 1; i < n - 1; i++) {
            if (uniform) {
                out[i] = (f[i + 1] - f[i - 1]) / (2. * dx[0]);
            } else {
                double dx1 = dx[i - 1];
                double dx2 = dx[i];
                double a = -(dx2) / (dx1 * (dx1 + dx2));
                double b = (dx2 - dx1) / (dx1 * dx2);
                double c = dx1 / (dx2 * (dx1 + dx2));
                out[i] = a * f[i - 1] + b * f[i] + c * f[i + 1];
            }
        }
        out[0] = (f[1] - f[0]) / dx[0];
        out[n - 1] = (f[n - 1] - f[n - 2]) / dx[n - 2];
        return out;
    }

    /** {@code numpy.argmin}: the first smallest value, or the first NaN if there is one. */
    static int argmin(double[] v) {
        int best = 0;
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i])) {
                return i;
            }
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }
}
