/** Publishing lifecycle events ({@code AgentSpawned}, {@code AgentFailed}, {@code AssignmentRejected}…) to {@code <p>.events}. */
package io.kbench.worker.events;
