/**
 * The kbench aggregator: a Kafka Streams application that merges agents' {@code StatsReport}s into window
 * summaries ({@code <p>.windows}), run summaries and sweep summaries ({@code <p>.results}), and serves live
 * Prometheus gauges. {@link io.kbench.aggregator.Aggregator} is the embeddable instance ({@code kbench local}),
 * {@link io.kbench.aggregator.AggregatorCommand} the {@code kbench aggregator} command. It owns no topic but
 * reads {@code <p>.metrics} and {@code <p>.control}, writes {@code <p>.windows}, {@code <p>.results} and its
 * own registry entry, and never writes control records.
 */
package io.kbench.aggregator;
