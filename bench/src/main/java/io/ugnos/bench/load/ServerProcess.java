package io.ugnos.bench.load;

import io.ugnos.engine.Durability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ugnos server} in a JVM of its own (this JVM's {@code java} and class path), on a free
 * loopback port, so that it can be killed with SIGKILL ({@link Process#destroyForcibly()} on Linux)
 * while this JVM's clients write to it.
 */
final class ServerProcess {
    private static final Pattern CLIENT_URL = Pattern.compile("connect with (jdbc:ugnos:remote:url=\\S+)");

    private final Process process;
    private final String clientUrl;
    private final StringBuffer output;

    private ServerProcess(Process process, String clientUrl, StringBuffer output) {
        this.process = process;
        this.clientUrl = clientUrl;
        this.output = output;
    }

    /** Starts the server on {@code dir} and waits until it prints the URL it serves. */
    static ServerProcess start(Path dir, Durability durability) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.ugnos.jdbc.cli.Ugnos", "server", "--data", dir.toAbsolutePath().toString(), "--port", "0",
                "--durability", durability.name().toLowerCase(Locale.ROOT));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuffer output = new StringBuffer();
        CompletableFuture<String> url = new CompletableFuture<>();
        // the reader ends with the process (end of stream)
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.append(line).append('\n');
                    Matcher m = CLIENT_URL.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
            url.completeExceptionally(new IOException("the server exited before serving; its output:\n" + output));
        }, "ugnos-server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ServerProcess(p, url.get(120, TimeUnit.SECONDS), output);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly().waitFor();
            throw new IOException("server on " + dir + " did not start: " + e.getMessage() + "\n" + output, e);
        }
    }

    String clientUrl() {
        return clientUrl;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM: the server closes the database; returns its exit code. */
    int stop() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IOException("server did not stop within 60 s of SIGTERM; its output:\n" + output);
        }
        return process.exitValue();
    }

    String output() {
        return output.toString();
    }
}
