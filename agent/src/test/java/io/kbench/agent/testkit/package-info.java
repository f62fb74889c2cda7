/**
 * Test support: agent and broker JVMs started as child processes ({@link io.kbench.agent.testkit.AgentProcess},
 * {@link io.kbench.agent.testkit.BrokerMain}), and a reader of the metrics topic.
 */
package io.kbench.agent.testkit;
