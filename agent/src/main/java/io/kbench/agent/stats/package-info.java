/**
 * What an agent measures and how it reports it: counters and HdrHistogram recorders (microseconds), cut into
 * interval {@code StatsReport}s each interval and at each phase change, and published to the metrics topic of the
 * control cluster by one producer per JVM.
 */
package io.kbench.agent.stats;
