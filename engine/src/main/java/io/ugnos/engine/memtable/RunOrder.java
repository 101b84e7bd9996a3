package io.ugnos.engine.memtable;

/**
 * Sorts a run of points by time and removes duplicate timestamps, keeping the point added last
 * (the later write wins). Already-sorted input, the common case, costs one pass.
 */
public final class RunOrder {
    private RunOrder() {
    }

    /** Sorts {@code ts/values[0..n)} in place; returns the number of points left after removing duplicates. */
    public static int sortDedup(long[] ts, double[] values, int n) {
        boolean sorted = true;
        for (int i = 1; i < n; i++) {
            if (ts[i] < ts[i - 1]) {
                sorted = false;
                break;
            }
        }
        if (!sorted) {
            mergeSort(ts, values, n);
        }
        // stable sort keeps equal timestamps in insertion order: keep the last of each group
        int out = 0;
        for (int i = 0; i < n; i++) {
            if (i + 1 < n && ts[i + 1] == ts[i]) {
                continue;
            }
            ts[out] = ts[i];
            values[out] = values[i];
            out++;
        }
        return out;
    }

    /** Stable bottom-up merge sort of parallel arrays by timestamp. */
    private static void mergeSort(long[] ts, double[] values, int n) {
        long[] t2 = new long[n];
        double[] v2 = new double[n];
        long[] srcT = ts;
        double[] srcV = values;
        long[] dstT = t2;
        double[] dstV = v2;
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    if (srcT[j] < srcT[i]) {
                        dstT[k] = srcT[j];
                        dstV[k++] = srcV[j++];
                    } else {
                        dstT[k] = srcT[i];
                        dstV[k++] = srcV[i++];
                    }
                }
                while (i < mid) {
                    dstT[k] = srcT[i];
                    dstV[k++] = srcV[i++];
                }
                while (j < hi) {
                    dstT[k] = srcT[j];
                    dstV[k++] = srcV[j++];
                }
            }
            long[] tt = srcT;
            srcT = dstT;
            dstT = tt;
            double[] vv = srcV;
            srcV = dstV;
            dstV = vv;
        }
        if (srcT != ts) {
            System.arraycopy(srcT, 0, ts, 0, n);
            System.arraycopy(srcV, 0, values, 0, n);
        }
    }
}
