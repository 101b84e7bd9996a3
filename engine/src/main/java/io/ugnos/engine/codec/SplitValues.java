package io.ugnos.engine.codec;

import java.util.Arrays;

/**
 * SPLIT values (after ALP_RD, Afroozeh et al., SIGMOD 2024), for full-precision doubles: the top
 * {@code L} bits of each raw 64-bit pattern (sign, exponent, first mantissa bits) take few distinct
 * values in a block and go through a dictionary; the low {@code R = 64 - L} bits are packed as is.
 * <pre>
 * u8         codec id 4
 * u8         L              left bits, 8 to 16
 * u8         b              dictionary index bits, 0 to 3 (the dictionary has 2^b entries)
 * 2^b x u16  dictionary     left parts, little-endian; unused entries repeat entry 0
 * varlong    exceptions     count of values whose left part is not in the dictionary, at most n
 * bits       LSB-first, zero-padded to a whole byte, three runs back to back:
 *              n fields of b bits       dictionary index (0 for an exception)
 *              n fields of R bits       right part
 *              exceptions x (P bits position, then L bits left part), positions ascending,
 *                                       P = bits needed for n - 1 (0 when n = 1)
 * </pre>
 * A value's bits are {@code dictionary[index] << R | right}, then each exception replaces the left
 * part of the value at its position. The encoder sorts the block's 16-bit tops once, then tries every
 * L and b and keeps the exact smallest size.
 */
final class SplitValues {
    static final int MIN_LEFT = 8;
    static final int MAX_LEFT = 16;
    static final int MAX_DICT_BITS = 3;

    private SplitValues() {
    }

    /** Size with a one-entry dictionary, no exceptions and the widest left part: a lower bound. */
    static long minSize(int n) {
        return 3 + 2 + 1 + BitInput.bytesFor((long) n * (64 - MAX_LEFT));
    }

    private static long headerSize(int dictBits, int exceptions) {
        return 3 + 2L * (1 << dictBits) + ByteInput.varLongSize(exceptions);
    }

    /** Plans the encoding into {@code s} and returns its size in bytes. */
    static long analyze(double[] values, int off, int n, EncodeScratch s) {
        int[] unsorted = s.keys(n);
        int[] other = s.keysTmp(n);
        for (int i = 0; i < n; i++) {
            unsorted[i] = (int) (Double.doubleToRawLongBits(values[off + i]) >>> (64 - MAX_LEFT));
        }
        int[] keys = sort16(unsorted, other, n, s.radixCounts);
        int[] counts = keys == unsorted ? other : unsorted;
        // Collapse the sorted 16-bit tops into (key, count) runs: blocks have few distinct tops, so
        // trying each left width below costs a pass over the runs rather than over the values.
        int runs = 0;
        for (int i = 0; i < n; i++) {
            if (runs > 0 && keys[runs - 1] == keys[i]) {
                counts[runs - 1]++;
            } else {
                keys[runs] = keys[i];
                counts[runs++] = 1;
            }
        }
        int posBits = BitInput.widthOf(n - 1);
        long best = Long.MAX_VALUE;
        int bestLeft = MAX_LEFT;
        int bestDictBits = 0;
        int bestExceptions = 0;
        for (int left = MIN_LEFT; left <= MAX_LEFT; left++) {
            // the top `left` bits of sorted 16-bit keys are sorted too
            int distinct = topRuns(keys, counts, runs, MAX_LEFT - left, s.topCounts, s.topKeys);
            int covered = 0;
            for (int b = 0; b <= MAX_DICT_BITS; b++) {
                for (int j = b == 0 ? 0 : 1 << (b - 1); j < Math.min(1 << b, distinct); j++) {
                    covered += s.topCounts[j];
                }
                int exceptions = n - covered;
                long bits = (long) n * (b + 64 - left) + (long) exceptions * (posBits + left);
                long size = headerSize(b, exceptions) + BitInput.bytesFor(bits);
                if (size < best) {
                    best = size;
                    bestLeft = left;
                    bestDictBits = b;
                    bestExceptions = exceptions;
                }
                if (1 << b >= distinct) {
                    break; // a bigger dictionary covers nothing more
                }
            }
        }
        int distinct = topRuns(keys, counts, runs, MAX_LEFT - bestLeft, s.topCounts, s.topKeys);
        int entries = Math.min(1 << bestDictBits, distinct);
        for (int j = 0; j < 1 << bestDictBits; j++) {
            s.splitDict[j] = s.topKeys[j < entries ? j : 0];
        }
        s.splitLeftBits = bestLeft;
        s.splitDictBits = bestDictBits;
        s.splitExceptions = bestExceptions;
        return best;
    }

    /**
     * Sorts 16-bit keys by a least-significant-digit radix sort, one counting pass per byte, and
     * returns the array ({@code keys} or {@code tmp}) that holds them sorted. A pass whose byte is
     * the same in every key is skipped: in a block of similar values the high byte (sign and top of
     * the exponent) usually is.
     */
    private static int[] sort16(int[] keys, int[] tmp, int n, int[] counts) {
        Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            counts[keys[i] & 0xFF]++;
            counts[256 + (keys[i] >>> 8)]++;
        }
        int[] from = keys;
        int[] to = tmp;
        for (int pass = 0; pass < 2; pass++) {
            int shift = 8 * pass;
            int base = 256 * pass;
            if (counts[base + ((from[0] >>> shift) & 0xFF)] == n) {
                continue;
            }
            int start = 0;
            for (int d = base; d < base + 256; d++) {
                int c = counts[d];
                counts[d] = start;
                start += c;
            }
            for (int i = 0; i < n; i++) {
                int k = from[i];
                to[counts[base + ((k >>> shift) & 0xFF)]++] = k;
            }
            int[] t = from;
            from = to;
            to = t;
        }
        return from;
    }

    /**
     * Finds the most frequent values of {@code key >>> shift} over runs of sorted keys: fills
     * {@code topCounts}/{@code topKeys} with the (up to) 8 most frequent, most frequent first, and
     * returns the number of distinct values.
     */
    private static int topRuns(int[] runKeys, int[] runCounts, int runs, int shift, int[] topCounts, int[] topKeys) {
        int size = 0;
        int distinct = 0;
        int r = 0;
        while (r < runs) {
            int key = runKeys[r] >>> shift;
            int count = 0;
            while (r < runs && runKeys[r] >>> shift == key) {
                count += runCounts[r++];
            }
            distinct++;
            if (size < topCounts.length || count > topCounts[size - 1]) {
                int j = size < topCounts.length ? size++ : size - 1; // else the last one drops out
                while (j > 0 && topCounts[j - 1] < count) {
                    topCounts[j] = topCounts[j - 1];
                    topKeys[j] = topKeys[j - 1];
                    j--;
                }
                topCounts[j] = count;
                topKeys[j] = key;
            }
        }
        return distinct;
    }

    /** Writes by the plan {@link #analyze} left in the buffer's scratch. */
    static void encode(double[] values, int off, int n, EncodeBuffer out) {
        EncodeScratch s = out.scratch();
        int left = s.splitLeftBits;
        int right = 64 - left;
        int dictBits = s.splitDictBits;
        int entries = 1 << dictBits;
        int[] dict = s.splitDict;
        out.writeByte(ValueCodec.SPLIT);
        out.writeByte(left);
        out.writeByte(dictBits);
        for (int j = 0; j < entries; j++) {
            out.writeShort(dict[j]);
        }
        out.writeVarLong(s.splitExceptions);
        BitWriter bits = out.bits();
        byte[] index = s.dictIndex(n);
        for (int i = 0; i < n; i++) {
            int key = (int) (Double.doubleToRawLongBits(values[off + i]) >>> right);
            int j = 0;
            while (j < entries && dict[j] != key) {
                j++;
            }
            index[i] = (byte) (j < entries ? j : -1);
            bits.write(j < entries ? j : 0, dictBits);
        }
        for (int i = 0; i < n; i++) {
            bits.write(Double.doubleToRawLongBits(values[off + i]), right);
        }
        int posBits = BitInput.widthOf(n - 1);
        if (s.splitExceptions > 0) {
            for (int i = 0; i < n; i++) {
                if (index[i] < 0) {
                    bits.write(i, posBits);
                    bits.write(Double.doubleToRawLongBits(values[off + i]) >>> right, left);
                }
            }
        }
        bits.flush();
    }

    /** {@code pos} is just after the codec id. */
    static int decode(byte[] src, int pos, int limit, int n, double[] dst, int dstOff) {
        int left = ByteInput.u8(src, pos, limit);
        if (left < MIN_LEFT || left > MAX_LEFT) {
            throw new CodecException("split left width " + left + " is outside " + MIN_LEFT + ".." + MAX_LEFT);
        }
        int dictBits = ByteInput.u8(src, pos + 1, limit);
        if (dictBits > MAX_DICT_BITS) {
            throw new CodecException("split dictionary index width " + dictBits + " exceeds " + MAX_DICT_BITS);
        }
        int entries = 1 << dictBits;
        int dictPos = pos + 2;
        ByteInput.need(dictPos, limit, 2 * entries);
        // The (up to 8) 16-bit entries packed into two longs: lookups need no array and no allocation.
        long dictLow = 0;
        long dictHigh = 0;
        for (int j = 0; j < entries; j++) {
            long entry = ByteInput.u16(src, dictPos + 2 * j, limit);
            if (j < 4) {
                dictLow |= entry << (16 * j);
            } else {
                dictHigh |= entry << (16 * (j - 4));
            }
        }
        int excPos = dictPos + 2 * entries;
        int base = ByteInput.varLongEnd(src, excPos, limit);
        long exceptions = ByteInput.varLongAt(src, excPos);
        if (exceptions < 0 || exceptions > n) {
            throw new CodecException("split exception count " + exceptions + " exceeds " + n + " values");
        }
        int right = 64 - left;
        int posBits = BitInput.widthOf(n - 1);
        long mainBits = (long) n * (dictBits + right);
        int end = BitInput.end(base, limit, mainBits + exceptions * (posBits + left), "split streams");

        long indexMask = BitInput.mask(dictBits);
        long rightMask = BitInput.mask(right);
        long ip = 0;
        long rp = (long) n * dictBits;
        for (int i = dstOff; i < dstOff + n; i++) {
            int j = (int) (BitInput.peek(src, base, limit, ip) & indexMask);
            ip += dictBits;
            long low = BitInput.peek(src, base, limit, rp) & rightMask;
            rp += right;
            long high = (((j & 4) == 0 ? dictLow : dictHigh) >>> ((j & 3) << 4)) & 0xFFFF;
            dst[i] = Double.longBitsToDouble(high << right | low);
        }
        long ep = mainBits;
        long posMask = BitInput.mask(posBits);
        long leftMask = BitInput.mask(left);
        for (long k = 0; k < exceptions; k++) {
            long at = BitInput.peek(src, base, limit, ep) & posMask;
            ep += posBits;
            long high = BitInput.peek(src, base, limit, ep) & leftMask;
            ep += left;
            if (at >= n) {
                throw new CodecException("split exception position " + at + " is outside " + n + " values");
            }
            int i = dstOff + (int) at;
            dst[i] = Double.longBitsToDouble(high << right | Double.doubleToRawLongBits(dst[i]) & rightMask);
        }
        return end;
    }
}
