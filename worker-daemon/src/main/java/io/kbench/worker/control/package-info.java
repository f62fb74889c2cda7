/**
 * Reading the control topic: the loop that polls it, the router that decides what a record means to this daemon
 * (act, relay, ignore, skip with a reason) and the validator that decides whether an assignment may run
 * (targets, JVM options, capacity). Signature checks use {@code io.kbench.protocol.security}.
 */
package io.kbench.worker.control;
