/** kbench's own topics: names, settings, and creating them idempotently. */
package io.kbench.protocol.topic;
