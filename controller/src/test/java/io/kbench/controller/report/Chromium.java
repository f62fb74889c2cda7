package io.kbench.controller.report;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}, installed by {@code .ci/run}) loading a report from its file: the
 * DOM after the page's scripts ran, its console and errors on stderr. Every name resolves to nothing
 * ({@code --host-resolver-rules}), so a page that tried the network could not reach it, and its policy reports
 * the attempt anyway.
 */
final class Chromium {

    static final String INSTALL =
            "chromium is needed to render the reports: install Debian's chromium package (.ci/run does)";

    /** What a page left: its DOM, and Chromium's stderr (console messages included). */
    record Page(String dom, String log) {}

    private Chromium() {}

    static Path binary() {
        for (String candidate : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        fail(INSTALL);
        throw new AssertionError(INSTALL);
    }

    static Page dumpDom(Path html, Path work) throws IOException, InterruptedException {
        Path out = work.resolve("dom.html");
        Path err = work.resolve("chromium.log");
        run(html, work, List.of("--dump-dom"), out, err);
        return new Page(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    static Path screenshot(Path html, Path png, Path work) throws IOException, InterruptedException {
        run(
                html,
                work,
                List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1280,2000", "--hide-scrollbars"),
                work.resolve("shot.out"),
                work.resolve("shot.log"));
        return png;
    }

    private static void run(Path html, Path work, List<String> action, Path out, Path err)
            throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "profile");
        List<String> command = new ArrayList<>(List.of(
                binary().toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--enable-logging=stderr",
                "--v=0",
                // Time enough for the page's scripts (virtual time: it passes as fast as the page idles).
                "--virtual-time-budget=10000"));
        command.addAll(action);
        command.add(html.toUri().toString());
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("chromium did not finish rendering " + html + " within 60 s");
        }
    }
}
