package io.kbench.protocol;

import io.kbench.protocol.message.Message;

/** What decoding a record gives: a message, or a reasoned skip. Never an exception. */
public sealed interface Decoded {

    /** A decoded record. */
    record Ok(Envelope envelope, Message message) implements Decoded {}

    /** A record the reader must skip, and why. */
    record Skip(SkipReason reason, String detail) implements Decoded {}

    static Skip skip(SkipReason reason, String detail) {
        return new Skip(reason, detail);
    }
}
