/**
 * The Kafka Streams topology of the aggregator ({@link io.kbench.aggregator.topology.AggregatorTopology}): its
 * processors, the run store's key layout and the serdes. It reads {@code <p>.metrics} and {@code <p>.control},
 * writes {@code <p>.windows} and {@code <p>.results}, and must not write any other kbench topic.
 */
package io.kbench.aggregator.topology;
