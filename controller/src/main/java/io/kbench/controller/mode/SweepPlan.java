package io.kbench.controller.mode;

import io.kbench.controller.config.InputError;
import io.kbench.protocol.message.RateSplit;
import io.kbench.protocol.message.Workload;
import java.util.ArrayList;
import java.util.List;

/**
 * The points of a scalability sweep (kbench's scalability test): one workload variant per value of the
 * swept dimension, all sharing a sweep id, so the aggregator can compute each point's efficiency against the
 * smallest.
 */
public final class SweepPlan {

    /** What a sweep varies. */
    public enum Dimension {
        PRODUCERS,
        CONSUMERS,
        MESSAGE_SIZE
    }

    /** One point: the scale n and the workload that runs it. */
    public record Point(double scale, Workload workload) {}

    private SweepPlan() {}

    /** The workload with one dimension fixed to a value (its name unchanged). */
    public static Workload fixed(Workload base, Dimension dimension, int value) {
        Workload point = points(base, dimension, List.of(value), perProducerRate(base))
                .get(0)
                .workload();
        return point.withName(base.name());
    }

    private static double perProducerRate(Workload base) {
        return RateSplit.perProducer(base.producerRate(), Math.max(base.totalProducers(), 1));
    }

    /**
     * @param ratePerProducer when given, each point's total rate is this × its producers (as the original scaling examples
     *     read rates per producer); otherwise each producer keeps the base workload's share of the total
     */
    public static List<Point> points(Workload base, Dimension dimension, List<Integer> values, Double ratePerProducer) {
        if (values.isEmpty()) {
            throw new InputError("a sweep needs at least one value");
        }
        double perProducer = ratePerProducer != null ? ratePerProducer : perProducerRate(base);
        List<Point> points = new ArrayList<>();
        for (int value : values.stream().sorted().distinct().toList()) {
            if (value < 1) {
                throw new InputError("sweep values must be >= 1, got " + value);
            }
            int producers = dimension == Dimension.PRODUCERS ? value : base.producersPerTopic();
            int consumers = dimension == Dimension.CONSUMERS ? value : base.consumerPerSubscription();
            int size = dimension == Dimension.MESSAGE_SIZE ? value : base.messageSize();
            // A payload file fixes the size; a size sweep uses randomized payloads instead.
            boolean dropPayloadFile = dimension == Dimension.MESSAGE_SIZE;
            double totalRate = perProducer * producers * base.topicCount();
            Workload w = base.toBuilder()
                    .name(base.name() + " [" + dimension.name().toLowerCase(java.util.Locale.ROOT) + "=" + value + "]")
                    .messageSize(size)
                    .useRandomizedPayloads(dropPayloadFile || base.useRandomizedPayloads())
                    .randomBytesRatio(dropPayloadFile && base.randomBytesRatio() == 0 ? 0.5 : base.randomBytesRatio())
                    .randomizedPayloadPoolSize(
                            dropPayloadFile && base.randomizedPayloadPoolSize() == 0
                                    ? 100
                                    : base.randomizedPayloadPoolSize())
                    .payloadFile(dropPayloadFile ? null : base.payloadFile())
                    .producersPerTopic(producers)
                    .consumerPerSubscription(consumers)
                    .producerRate(totalRate)
                    .build();
            points.add(new Point(value, w));
        }
        return points;
    }
}
