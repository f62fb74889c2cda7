/**
 * The host's clock offset against the control cluster, estimated from the broker's append times of probe records
 * ({@link io.kbench.worker.clock.ClockProbe}, {@link io.kbench.worker.clock.OffsetEstimate}).
 */
package io.kbench.worker.clock;
