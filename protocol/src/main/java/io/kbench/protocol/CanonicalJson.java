package io.kbench.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One byte form of a JSON tree, so a signer and a verifier agree on what was signed: object keys sorted,
 * no white space, numbers as Jackson writes the parsed node.
 */
final class CanonicalJson {

    private CanonicalJson() {}

    static byte[] write(JsonNode tree) {
        try {
            return Json.WIRE.writeValueAsBytes(sorted(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                fields.add(it.next());
            }
            fields.sort(Map.Entry.comparingByKey());
            for (Map.Entry<String, JsonNode> field : fields) {
                if (!field.getValue().isNull()) {
                    out.set(field.getKey(), sorted(field.getValue()));
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> out.add(sorted(element)));
            return out;
        }
        if (node.isNumber() && (node.isFloat() || node.isDouble()) && !Double.isFinite(node.doubleValue())) {
            return JsonNodeFactory.instance.textNode(node.asText());
        }
        if (node.isNumber()) {
            // 1, 1.0 and 1e0 are one number to a reader; sign one text for them.
            return JsonNodeFactory.instance.textNode(
                    node.decimalValue().stripTrailingZeros().toPlainString());
        }
        return node;
    }
}
