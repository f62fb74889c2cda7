/** A real single-node KRaft Kafka broker in-process. */
package io.kbench.broker;
