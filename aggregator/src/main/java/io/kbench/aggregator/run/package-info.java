/**
 * The state of one run: control records, tumbling windows and the measured totals, built from agents'
 * {@link io.kbench.protocol.message.StatsReport}s by summing counters and merging interval histograms exactly.
 * Pure Java without Kafka, so it is tested directly; the topology persists it through {@link
 * io.kbench.aggregator.run.RunCheckpoint}s.
 */
package io.kbench.aggregator.run;
