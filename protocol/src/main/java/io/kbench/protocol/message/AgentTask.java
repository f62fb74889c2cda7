package io.kbench.protocol.message;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * One simulated client as a daemon starts it: a {@link ProducerTask} or a {@link ConsumerTask}. Each validates
 * its fields when it is made, so a task that exists, whether planned or decoded, is well formed.
 *
 * <p>On the wire a task is its record's fields plus {@code "role":"PRODUCER"} or {@code "role":"CONSUMER"}, which
 * says which record it is. A task without a known role, or whose fields do not validate, makes its whole message
 * fail to decode: the reader skips and counts it as {@code corrupt}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "role")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ProducerTask.class, name = "PRODUCER"),
    @JsonSubTypes.Type(value = ConsumerTask.class, name = "CONSUMER")
})
public sealed interface AgentTask permits ProducerTask, ConsumerTask {

    /** Unique within the run, for example {@code p0} or {@code c0-0-1}. */
    String agentId();

    /** The cluster under test. */
    String bootstrapServers();

    /**
     * Kafka client properties: the driver's {@code commonConfig} plus {@code producerConfig} or {@code
     * consumerConfig}.
     */
    Map<String, String> clientConfig();

    /** How often a {@link StatsReport} is sent, in ms. */
    int statsIntervalMs();

    /** The topics this agent produces to (a producer: its one topic) or subscribes to. */
    List<String> topics();

    /** Which record this is; on the wire, the {@code role} property. */
    @JsonIgnore
    AgentRole role();

    /** This task with other client properties (a daemon merges its own over the planned ones). */
    AgentTask withClientConfig(Map<String, String> clientConfig);
}
