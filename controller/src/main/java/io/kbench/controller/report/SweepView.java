package io.kbench.controller.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.kbench.controller.config.InputError;
import io.kbench.controller.mode.SweepReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A sweep's points as the report's page draws them: efficiency, p99 growth and msg/s per 1 % CPU against n. */
final class SweepView {

    private static final String[] FIELDS = {
        "scale",
        "throughput",
        "publishMBps",
        "p99PublishLatencyUs",
        "p99EndToEndLatencyUs",
        "cpuPercent",
        "throughputEfficiency",
        "latencyGrowth",
        "msgPerCpuPercent"
    };

    private SweepView() {}

    static Map<String, Object> of(ReportInput input) {
        JsonNode root = input.root();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("label", input.stem());
        view.put("file", input.file().getFileName().toString());
        view.put("sweepId", root.path("sweepId").asText());
        view.put("dimension", root.path("dimension").asText("n"));
        List<Map<String, Object>> points = new ArrayList<>();
        int index = 0;
        for (JsonNode p : root.path("points")) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("runId", p.path("runId").asText());
            for (String field : FIELDS) {
                if (!p.path(field).isNumber()) {
                    throw new InputError(input.file() + ": field 'points[" + index + "]." + field + "' is "
                            + (p.has(field) ? "'" + p.get(field) + "', not a number" : "missing"));
                }
                point.put(field, p.get(field).asDouble());
            }
            // Graded as the sweep command grades, so an older file without grades reads the same.
            point.put(
                    "efficiencyGrade",
                    SweepReport.efficiencyGrade(p.get("throughputEfficiency").asDouble()));
            point.put(
                    "latencyGrowthGrade",
                    SweepReport.latencyGrade(p.get("latencyGrowth").asDouble()));
            points.add(point);
            index++;
        }
        if (points.isEmpty()) {
            throw new InputError(input.file() + ": field 'points' is empty: the sweep has no complete run to report");
        }
        points.sort(java.util.Comparator.comparingDouble(p -> (double) p.get("scale")));
        view.put("points", points);
        return view;
    }
}
