package io.kbench.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/security.md lists, ready to paste, exactly the ACLs {@code SecuredFleetIT} proves sufficient. */
class FleetAclsDocTest {

    @Test
    void theDocumentedKafkaAclsCommandsAreTheOnesTheItGrants() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "security.md"));
        int begin = doc.indexOf("```\nkafka-acls.sh");
        int end = doc.indexOf("```", begin + 3);
        List<String> documented = begin < 0
                ? List.of()
                : doc.substring(begin + 4, end)
                        .lines()
                        .filter(l -> !l.isBlank())
                        .toList();
        List<String> granted = FleetAcls.minimal("kbench").stream()
                .map(FleetAcls::kafkaAclsCommand)
                .toList();
        assertEquals(String.join("\n", granted), String.join("\n", documented));
    }
}
