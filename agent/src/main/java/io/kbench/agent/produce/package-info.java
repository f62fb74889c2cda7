/**
 * The producer agent with OMB's workload semantics: payloads, key distributors, a uniform rate limiter that hands
 * out intended send times, and the {@code kbench-ts} header carrying the produce time in epoch microseconds.
 * Everything on the per-message path is allocation-free apart from the record and its callback.
 */
package io.kbench.agent.produce;
