package io.kbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How local-cost charges a thread of the kbench local JVM, and how it sets a workload's rate. */
class LocalCostTest {

    @Test
    void brokerThreadsAreTheBrokers() {
        assertEquals(LocalCost.Part.BROKER, LocalCost.classify("data-plane-kafka-request-handler-3"));
        assertEquals(
                LocalCost.Part.BROKER, LocalCost.classify("data-plane-kafka-network-thread-1-PLAINTEXT-PLAINTEXT-1"));
        assertEquals(LocalCost.Part.BROKER, LocalCost.classify("kafka-1-raft-io-thread"));
        assertEquals(LocalCost.Part.BROKER, LocalCost.classify("TxnMarkerSenderThread-1"));
    }

    @Test
    void clientStreamsAndControllerThreadsAreKbenchs() {
        assertEquals(
                LocalCost.Part.KBENCH,
                LocalCost.classify("kbench-aggregator-a92b58a2-6c55-479a-8cda-f4b27dedc8ae-StreamThread-1"));
        assertEquals(
                LocalCost.Part.KBENCH,
                LocalCost.classify("kafka-producer-network-thread | kbench-aggregator-a92b-StreamThread-1-producer"));
        assertEquals(LocalCost.Part.KBENCH, LocalCost.classify("kafka-admin-client-thread | adminclient-1"));
        assertEquals(LocalCost.Part.KBENCH, LocalCost.classify("main"));
    }

    @Test
    void compilersAndCollectorsAreTheJvms() {
        assertEquals(LocalCost.Part.JVM, LocalCost.classify("C2 CompilerThread0"));
        assertEquals(LocalCost.Part.JVM, LocalCost.classify("GC Thread#1"));
        assertEquals(LocalCost.Part.JVM, LocalCost.classify("VM Thread"));
    }

    @Test
    void theRateReplacesTheWorkloadsOwnOrIsAdded() {
        String yaml = "name: w\nproducerRate: 10000\ntopics: 1\n";
        assertEquals("name: w\nproducerRate: 500\ntopics: 1\n", LocalCost.withRate(yaml, 500));
        assertTrue(LocalCost.withRate("name: w\n", 7).contains("\nproducerRate: 7\n"));
    }
}
