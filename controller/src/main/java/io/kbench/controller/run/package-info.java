/** The run lifecycle over Kafka topics: fleet checks, topics, plan, readiness, start barrier, results. */
package io.kbench.controller.run;
