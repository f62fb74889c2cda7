/**
 * The producer agent with OMB's workload semantics: payloads, key distributors, a uniform rate limiter that hands
 * out intended send times, and the {@link io.kbench.agent.produce.SendStamp} that writes the send time (epoch
 * microseconds) into the first 8 bytes of each payload, so a record on the wire is exactly payload + key.
 * Everything on the per-message path is allocation-free apart from the record and its callback.
 */
package io.kbench.agent.produce;
