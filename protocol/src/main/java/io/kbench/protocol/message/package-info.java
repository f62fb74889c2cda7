/** Every message that crosses a topic, as immutable records. */
package io.kbench.protocol.message;
