package io.ugnos.engine.codec;

import java.util.Objects;

/** Argument checks shared by the public encode and decode entry points. */
final class Args {
    private Args() {
    }

    static void checkEncode(int length, int off, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a block holds at least one point, got n = " + n);
        }
        Objects.checkFromIndexSize(off, n, length);
    }

    /**
     * The readable range and the count may come from corrupt bytes upstream, so they fail with
     * {@link CodecException}; a destination too small for {@code n} is the caller's bug and fails with
     * {@link IndexOutOfBoundsException}.
     */
    static void checkDecode(int srcLength, int pos, int limit, int n, int dstLength, int dstOff) {
        if (pos < 0 || limit > srcLength || pos > limit) {
            throw new CodecException("readable range [" + pos + ", " + limit + ") is outside the "
                    + srcLength + "-byte source");
        }
        if (n < 1) {
            throw new CodecException("a block holds at least one point, got n = " + n);
        }
        Objects.checkFromIndexSize(dstOff, n, dstLength);
    }
}
