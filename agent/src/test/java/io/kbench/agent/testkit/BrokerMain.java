package io.kbench.agent.testkit;

import io.kbench.broker.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * An embedded broker in its own JVM, so a test can stall it with SIGSTOP. Prints {@code BOOTSTRAP host:port} on
 * stdout once ready and stops when its stdin ends.
 *
 * <p>Arguments (optional): {@code [port] [dataDir]}.
 */
public final class BrokerMain {

    public static final String BOOTSTRAP_PREFIX = "BOOTSTRAP ";

    private BrokerMain() {}

    public static void main(String[] args) throws IOException {
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder();
        if (args.length > 0) {
            builder.port(Integer.parseInt(args[0]));
        }
        if (args.length > 1) {
            builder.dataDir(Path.of(args[1]));
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (EmbeddedKafkaBroker broker = builder.build().start()) {
            out.println(BOOTSTRAP_PREFIX + broker.bootstrapServers());
            while (System.in.read() != -1) {
                // runs until the test closes stdin (or kills this JVM)
            }
        }
        System.exit(0);
    }
}
