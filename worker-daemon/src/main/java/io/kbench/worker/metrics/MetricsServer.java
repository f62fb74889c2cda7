package io.kbench.worker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a Prometheus registry's scrape at {@code /metrics} and readiness at {@code /health} (200 {@code ok} once
 * the daemon is in the registry, 503 {@code starting} before) with the JDK's own HTTP server. Container health
 * checks probe {@code /health}.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(MetricsServer.class);
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Binds every interface on {@code port} (0: a free one); fails with the port in the message when it is taken.
     */
    public static MetricsServer start(PrometheusMeterRegistry registry, int port, BooleanSupplier healthy) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve metrics on port " + port + ": " + e.getMessage(), e);
        }
        server.createContext("/metrics", exchange -> respond(exchange, 200, registry.scrape()));
        server.createContext("/health", exchange -> {
            boolean ready = healthy.getAsBoolean();
            respond(exchange, ready ? 200 : 503, ready ? "ok\n" : "starting\n");
        });
        server.start();
        LOGGER.info("metrics on http://0.0.0.0:{}/metrics", server.getAddress().getPort());
        return new MetricsServer(server);
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
