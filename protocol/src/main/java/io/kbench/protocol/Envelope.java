package io.kbench.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every record value on every kbench topic: one JSON object, readable with any Kafka client.
 *
 * <pre>
 * {"v":1, "type":"RunAssignment", "id":"3f0…", "runId":"r-20261125-1", "sentAt":1764086400000,
 *  "expiresAt":1764086460000, "body":{…}, "sig":"base64 HMAC-SHA256, absent when unsigned"}
 * </pre>
 *
 * @param v the protocol version of the writer; a reader skips versions newer than its own
 * @param type the body's wire name ({@link io.kbench.protocol.message.MessageType})
 * @param id unique per record; signed records are rejected when an id is seen twice
 * @param expiresAt epoch ms after which readers skip the record; {@code null}: never expires
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(
        int v, String type, String id, String runId, long sentAt, Long expiresAt, JsonNode body, String sig) {

    /** The protocol version this build writes and the newest it reads. */
    public static final int VERSION = 1;

    public Envelope withSig(String signature) {
        return new Envelope(v, type, id, runId, sentAt, expiresAt, body, signature);
    }
}
