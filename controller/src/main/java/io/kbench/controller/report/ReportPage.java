package io.kbench.controller.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kbench.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * The HTML page: the template, its style and drawing script, Apache ECharts and the report's data, all inlined, so
 * the file opens anywhere offline. Its Content-Security-Policy forbids every fetch (no {@code connect-src},
 * {@code img-src} only {@code data:}), so the page provably loads nothing from anywhere.
 */
final class ReportPage {

    private static final String BASE = "/io/kbench/controller/report/";

    private ReportPage() {}

    /**
     * @param kind {@code run}, {@code compare} or {@code sweep}: what the script draws
     * @param data the views ({@link RunView}, {@link SweepView}) under {@code runs} or {@code sweep}
     */
    static String render(String title, String kind, Map<String, Object> data) {
        String json;
        try {
            json = Json.WIRE.writeValueAsString(Map.of("kind", kind, "title", title, "data", data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report data not serialisable: " + e.getMessage(), e);
        }
        // Inside <script>, only "</" can end the element early; "<\/" means the same in JSON.
        json = json.replace("</", "<\\/");
        return resource(BASE + "report.html")
                .replace("{{TITLE}}", escapeHtml(title))
                .replace("{{STYLE}}", resource(BASE + "report.css"))
                .replace("{{DATA}}", json)
                .replace("{{ECHARTS}}", safeScript(echarts()))
                .replace("{{SCRIPT}}", safeScript(resource(BASE + "report.js")));
    }

    /** ECharts' bundle, unpacked from its WebJar at build time (see the module's pom). */
    static String echarts() {
        String version = properties().getProperty("echarts.version");
        return resource("/META-INF/resources/webjars/echarts/" + version + "/dist/echarts.min.js");
    }

    static String echartsVersion() {
        return properties().getProperty("echarts.version");
    }

    private static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = ReportPage.class.getResourceAsStream(BASE + "report.properties")) {
            if (in == null) {
                throw new IllegalStateException("report.properties missing from the class path: a broken build");
            }
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ReportPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the class path: a broken build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A script body never holds "</script"; a bundle that did would end its element early. */
    private static String safeScript(String script) {
        return script.replace("</script", "<\\/script");
    }

    static String escapeHtml(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
