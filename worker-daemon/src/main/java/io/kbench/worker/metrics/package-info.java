/** The daemon's Prometheus meters (names and tags in {@link io.kbench.worker.metrics.WorkerMeters}) and endpoint. */
package io.kbench.worker.metrics;
