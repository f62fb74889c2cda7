package io.kbench.protocol.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;

/**
 * An OMB workload, with OMB's field names, defaults and meanings, plus kbench's extensions. {@code
 * producerRate} is the total rate of all producers in messages per second; {@code <= 0} asks for
 * max-rate discovery.
 *
 * <p>Example (OMB's own format, read unchanged):
 *
 * <pre>
 * name: 1 topic / 16 partitions / 1kb
 * topics: 1
 * partitionsPerTopic: 16
 * messageSize: 1024
 * payloadFile: payload/payload-1Kb.data
 * subscriptionsPerTopic: 1
 * consumerPerSubscription: 4
 * producersPerTopic: 4
 * producerRate: 50000
 * consumerBacklogSizeGB: 0
 * testDurationMinutes: 15
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Workload(
        String name,
        Integer topics,
        Integer partitionsPerTopic,
        KeyDistributorType keyDistributor,
        Integer messageSize,
        Boolean useRandomizedPayloads,
        Double randomBytesRatio,
        Integer randomizedPayloadPoolSize,
        String payloadFile,
        Integer subscriptionsPerTopic,
        Integer producersPerTopic,
        Integer consumerPerSubscription,
        Double producerRate,
        Double consumerBacklogSizeGB,
        Double backlogDrainRatio,
        Integer testDurationMinutes,
        Integer warmupDurationMinutes,
        // kbench extensions
        Integer testDurationSeconds,
        Integer warmupDurationSeconds,
        List<String> existingTopics,
        Integer agentsPerJvm,
        Integer statsWindowSeconds) {

    public Workload {
        name = name == null ? "workload" : name;
        // OMB's defaults (Workload.java): every count, size and duration 0. The controller rejects a 0 that cannot
        // run, naming the file and line; here 0 stays 0 so a file means what it means to OMB.
        topics = orDefault(topics, 0);
        partitionsPerTopic = orDefault(partitionsPerTopic, 0);
        keyDistributor = keyDistributor == null ? KeyDistributorType.NO_KEY : keyDistributor;
        messageSize = orDefault(messageSize, 0);
        useRandomizedPayloads = useRandomizedPayloads != null && useRandomizedPayloads;
        randomBytesRatio = randomBytesRatio == null ? 0.0 : randomBytesRatio;
        randomizedPayloadPoolSize = orDefault(randomizedPayloadPoolSize, 0);
        subscriptionsPerTopic = orDefault(subscriptionsPerTopic, 0);
        producersPerTopic = orDefault(producersPerTopic, 0);
        consumerPerSubscription = orDefault(consumerPerSubscription, 0);
        producerRate = producerRate == null ? 0.0 : producerRate;
        consumerBacklogSizeGB = consumerBacklogSizeGB == null ? 0.0 : consumerBacklogSizeGB;
        backlogDrainRatio = backlogDrainRatio == null ? 1.0 : backlogDrainRatio;
        testDurationMinutes = orDefault(testDurationMinutes, 0);
        warmupDurationMinutes = orDefault(warmupDurationMinutes, 1);
        existingTopics = existingTopics == null ? List.of() : List.copyOf(existingTopics);
        agentsPerJvm = orDefault(agentsPerJvm, 1);
        statsWindowSeconds = orDefault(statsWindowSeconds, 10);

        requireAtLeast("topics", topics, 0);
        requireAtLeast("partitionsPerTopic", partitionsPerTopic, 0);
        requireAtLeast("messageSize", messageSize, 0);
        requireAtLeast("subscriptionsPerTopic", subscriptionsPerTopic, 0);
        requireAtLeast("producersPerTopic", producersPerTopic, 0);
        requireAtLeast("consumerPerSubscription", consumerPerSubscription, 0);
        requireAtLeast("randomizedPayloadPoolSize", randomizedPayloadPoolSize, 0);
        requireAtLeast("testDurationMinutes", testDurationMinutes, 0);
        requireAtLeast("warmupDurationMinutes", warmupDurationMinutes, 0);
        requireAtLeast("agentsPerJvm", agentsPerJvm, 1);
        requireAtLeast("statsWindowSeconds", statsWindowSeconds, 1);
        if (testDurationSeconds != null) {
            requireAtLeast("testDurationSeconds", testDurationSeconds, 1);
        }
        if (warmupDurationSeconds != null) {
            requireAtLeast("warmupDurationSeconds", warmupDurationSeconds, 0);
        }
        if (randomBytesRatio < 0 || randomBytesRatio > 1 || randomBytesRatio.isNaN()) {
            throw new IllegalArgumentException("randomBytesRatio must be between 0.0 and 1.0, got " + randomBytesRatio);
        }
        if (consumerBacklogSizeGB < 0 || consumerBacklogSizeGB.isNaN()) {
            throw new IllegalArgumentException("consumerBacklogSizeGB must be >= 0, got " + consumerBacklogSizeGB);
        }
        if (!(backlogDrainRatio > 0)) {
            throw new IllegalArgumentException("backlogDrainRatio must be > 0, got " + backlogDrainRatio);
        }
        if (producerRate.isNaN() || producerRate.isInfinite()) {
            throw new IllegalArgumentException("producerRate must be a number, got " + producerRate);
        }
    }

    /** Measurement duration: {@code testDurationSeconds} when given, else OMB's minutes. */
    public Duration testDuration() {
        return testDurationSeconds != null
                ? Duration.ofSeconds(testDurationSeconds)
                : Duration.ofMinutes(testDurationMinutes);
    }

    /** Warm-up duration: {@code warmupDurationSeconds} when given, else OMB's minutes (default 1). */
    public Duration warmupDuration() {
        return warmupDurationSeconds != null
                ? Duration.ofSeconds(warmupDurationSeconds)
                : Duration.ofMinutes(warmupDurationMinutes);
    }

    /** This workload with other durations (seconds); a null keeps the current one. */
    public Workload withDurations(Integer testSeconds, Integer warmupSeconds) {
        return toBuilder()
                .testDurationSeconds(testSeconds != null ? testSeconds : testDurationSeconds)
                .warmupDurationSeconds(warmupSeconds != null ? warmupSeconds : warmupDurationSeconds)
                .build();
    }

    /** This workload with another message size (bytes). */
    public Workload withMessageSize(int size) {
        return toBuilder().messageSize(size).build();
    }

    /** This workload under another name. */
    public Workload withName(String newName) {
        return toBuilder().name(newName).build();
    }

    /** This workload reading its payload from another file (for example the path resolved on this host). */
    public Workload withPayloadFile(String file) {
        return toBuilder().payloadFile(file).build();
    }

    /** A builder with every field unset: {@link #build} gives OMB's defaults for what stays unset. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this workload's fields, to change some and {@link Builder#build} a new one. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.topics = topics;
        b.partitionsPerTopic = partitionsPerTopic;
        b.keyDistributor = keyDistributor;
        b.messageSize = messageSize;
        b.useRandomizedPayloads = useRandomizedPayloads;
        b.randomBytesRatio = randomBytesRatio;
        b.randomizedPayloadPoolSize = randomizedPayloadPoolSize;
        b.payloadFile = payloadFile;
        b.subscriptionsPerTopic = subscriptionsPerTopic;
        b.producersPerTopic = producersPerTopic;
        b.consumerPerSubscription = consumerPerSubscription;
        b.producerRate = producerRate;
        b.consumerBacklogSizeGB = consumerBacklogSizeGB;
        b.backlogDrainRatio = backlogDrainRatio;
        b.testDurationMinutes = testDurationMinutes;
        b.warmupDurationMinutes = warmupDurationMinutes;
        b.testDurationSeconds = testDurationSeconds;
        b.warmupDurationSeconds = warmupDurationSeconds;
        b.existingTopics = existingTopics;
        b.agentsPerJvm = agentsPerJvm;
        b.statsWindowSeconds = statsWindowSeconds;
        return b;
    }

    /**
     * Names the fields to set instead of passing all 22 in order; {@link #build} goes through the compact
     * constructor, so defaults and checks are the record's own.
     */
    public static final class Builder {
        private String name;
        private Integer topics;
        private Integer partitionsPerTopic;
        private KeyDistributorType keyDistributor;
        private Integer messageSize;
        private Boolean useRandomizedPayloads;
        private Double randomBytesRatio;
        private Integer randomizedPayloadPoolSize;
        private String payloadFile;
        private Integer subscriptionsPerTopic;
        private Integer producersPerTopic;
        private Integer consumerPerSubscription;
        private Double producerRate;
        private Double consumerBacklogSizeGB;
        private Double backlogDrainRatio;
        private Integer testDurationMinutes;
        private Integer warmupDurationMinutes;
        private Integer testDurationSeconds;
        private Integer warmupDurationSeconds;
        private List<String> existingTopics;
        private Integer agentsPerJvm;
        private Integer statsWindowSeconds;

        private Builder() {}

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder topics(Integer value) {
            this.topics = value;
            return this;
        }

        public Builder partitionsPerTopic(Integer value) {
            this.partitionsPerTopic = value;
            return this;
        }

        public Builder keyDistributor(KeyDistributorType value) {
            this.keyDistributor = value;
            return this;
        }

        public Builder messageSize(Integer value) {
            this.messageSize = value;
            return this;
        }

        public Builder useRandomizedPayloads(Boolean value) {
            this.useRandomizedPayloads = value;
            return this;
        }

        public Builder randomBytesRatio(Double value) {
            this.randomBytesRatio = value;
            return this;
        }

        public Builder randomizedPayloadPoolSize(Integer value) {
            this.randomizedPayloadPoolSize = value;
            return this;
        }

        public Builder payloadFile(String value) {
            this.payloadFile = value;
            return this;
        }

        public Builder subscriptionsPerTopic(Integer value) {
            this.subscriptionsPerTopic = value;
            return this;
        }

        public Builder producersPerTopic(Integer value) {
            this.producersPerTopic = value;
            return this;
        }

        public Builder consumerPerSubscription(Integer value) {
            this.consumerPerSubscription = value;
            return this;
        }

        public Builder producerRate(Double value) {
            this.producerRate = value;
            return this;
        }

        public Builder consumerBacklogSizeGB(Double value) {
            this.consumerBacklogSizeGB = value;
            return this;
        }

        public Builder backlogDrainRatio(Double value) {
            this.backlogDrainRatio = value;
            return this;
        }

        public Builder testDurationMinutes(Integer value) {
            this.testDurationMinutes = value;
            return this;
        }

        public Builder warmupDurationMinutes(Integer value) {
            this.warmupDurationMinutes = value;
            return this;
        }

        public Builder testDurationSeconds(Integer value) {
            this.testDurationSeconds = value;
            return this;
        }

        public Builder warmupDurationSeconds(Integer value) {
            this.warmupDurationSeconds = value;
            return this;
        }

        public Builder existingTopics(List<String> value) {
            this.existingTopics = value;
            return this;
        }

        public Builder agentsPerJvm(Integer value) {
            this.agentsPerJvm = value;
            return this;
        }

        public Builder statsWindowSeconds(Integer value) {
            this.statsWindowSeconds = value;
            return this;
        }

        public Workload build() {
            return new Workload(
                    name,
                    topics,
                    partitionsPerTopic,
                    keyDistributor,
                    messageSize,
                    useRandomizedPayloads,
                    randomBytesRatio,
                    randomizedPayloadPoolSize,
                    payloadFile,
                    subscriptionsPerTopic,
                    producersPerTopic,
                    consumerPerSubscription,
                    producerRate,
                    consumerBacklogSizeGB,
                    backlogDrainRatio,
                    testDurationMinutes,
                    warmupDurationMinutes,
                    testDurationSeconds,
                    warmupDurationSeconds,
                    existingTopics,
                    agentsPerJvm,
                    statsWindowSeconds);
        }
    }

    public int topicCount() {
        return existingTopics.isEmpty() ? topics : existingTopics.size();
    }

    public int totalProducers() {
        return topicCount() * producersPerTopic;
    }

    public int totalConsumers() {
        return topicCount() * subscriptionsPerTopic * consumerPerSubscription;
    }

    public boolean discoversMaxRate() {
        return producerRate <= 0;
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static void requireAtLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", got " + value);
        }
    }
}
