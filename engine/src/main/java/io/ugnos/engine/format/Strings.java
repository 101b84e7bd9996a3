package io.ugnos.engine.format;

import io.ugnos.engine.codec.EncodeBuffer;

import java.nio.charset.StandardCharsets;

/** Length-prefixed UTF-8 strings, the form every ugnos file uses: varint byte length, then the bytes. */
public final class Strings {
    private Strings() {
    }

    public static void write(EncodeBuffer out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeVarLong(b.length);
        out.writeBytes(b, 0, b.length);
    }
}
