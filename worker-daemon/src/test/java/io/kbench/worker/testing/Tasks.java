package io.kbench.worker.testing;

import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.ConsumerTask;
import io.kbench.protocol.message.ProducerTask;
import io.kbench.protocol.message.RunAssignment;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/** Builders of tasks and assignments for tests. */
public final class Tasks {

    private Tasks() {}

    public static ProducerTask producer(String agentId, String bootstrap, String topic, double rate) {
        return new ProducerTask(agentId, bootstrap, Map.of(), topic, rate, 3, 100, null, null, 1000);
    }

    public static ConsumerTask consumer(String agentId, String bootstrap, String topic, String group) {
        return new ConsumerTask(agentId, bootstrap, Map.of(), List.of(topic), group, 0, 1000);
    }

    /** {@code count} producers named {@code <prefix>0…}, paced at {@code rate} each. */
    public static RunAssignment producers(
            String workerId, String prefix, int count, String bootstrap, String topic, double rate, long deadlineAt) {
        List<AgentTask> tasks = IntStream.range(0, count)
                .<AgentTask>mapToObj(i -> producer(prefix + i, bootstrap, topic, rate))
                .toList();
        return new RunAssignment(UUID.randomUUID().toString(), workerId, tasks, 1, List.of(), deadlineAt);
    }
}
