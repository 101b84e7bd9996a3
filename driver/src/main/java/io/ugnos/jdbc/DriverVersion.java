package io.ugnos.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of ugnos this driver was built as, read from a resource the build fills in. */
final class DriverVersion {
    static final String VERSION;
    static final int MAJOR;
    static final int MINOR;

    static {
        Properties p = new Properties();
        try (InputStream in = DriverVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        VERSION = p.getProperty("version", "0.0.0");
        String[] parts = VERSION.split("[.-]");
        MAJOR = number(parts, 0);
        MINOR = number(parts, 1);
    }

    private DriverVersion() {
    }

    private static int number(String[] parts, int i) {
        try {
            return i < parts.length ? Integer.parseInt(parts[i]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
