/**
 * Scaling efficiency across the runs of a sweep ({@link io.kbench.protocol.message.SweepSummary}): pure
 * formulas in {@link io.kbench.aggregator.sweep.SweepFigures} and the per-sweep state the topology keeps.
 */
package io.kbench.aggregator.sweep;
