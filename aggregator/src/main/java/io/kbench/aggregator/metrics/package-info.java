/**
 * The aggregator's Micrometer meters (names in {@link io.kbench.aggregator.metrics.AggregatorMeters}) and the
 * {@code /metrics} endpoint Prometheus scrapes. Gauges of a run come from its latest window; latency
 * percentiles are precomputed from merged HdrHistograms and exposed as gauges, never as a summary.
 */
package io.kbench.aggregator.metrics;
