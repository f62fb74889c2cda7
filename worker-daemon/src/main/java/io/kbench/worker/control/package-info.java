/**
 * Reading the control topic: the loop that polls it, the router that decides what a record means to this daemon
 * (act, relay, ignore, skip with a reason) and the validator that decides whether an assignment may run
 * (targets, client settings, payload files, JVM options, capacity) and rewrites it into what agents get.
 * Signature checks use {@code io.kbench.protocol.security}.
 */
package io.kbench.worker.control;
