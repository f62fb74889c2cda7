package io.kbench.local;

import io.kbench.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kbench broker}: a standalone single-node KRaft broker for people who want one. */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = "Start a single-node Kafka broker (KRaft) in this process until Ctrl-C.")
public final class BrokerCommand implements Callable<Integer> {

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "9092",
            description = "Port of the broker's client listener. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "Address to listen on and advertise to clients; another host's clients need one they can"
                    + " reach. Default: ${DEFAULT-VALUE} (this host only).")
    String host;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Keep data here across restarts. Default: a temporary directory, deleted on exit.")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        EmbeddedKafkaBroker.Builder builder =
                EmbeddedKafkaBroker.builder().host(host).port(port);
        if (dataDir != null) {
            builder.dataDir(dataDir);
        }
        EmbeddedKafkaBroker broker = builder.build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }));
        System.out.println(
                "broker ready at " + broker.bootstrapServers() + " (data: " + broker.dataDir() + "); Ctrl-C stops it");
        stopped.await();
        return 0;
    }
}
