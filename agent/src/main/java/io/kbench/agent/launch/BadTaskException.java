package io.kbench.agent.launch;

/** The launch or one of its tasks cannot run; the message names the field and the bad value. */
public final class BadTaskException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BadTaskException(String reason) {
        super(reason);
    }

    public BadTaskException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
