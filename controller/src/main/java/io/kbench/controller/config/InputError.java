package io.kbench.controller.config;

/**
 * Bad user input: a message that names the file, the field and the value, and says what to do. The CLI prints
 * it without a stack trace and exits with code 2.
 */
public final class InputError extends RuntimeException {

    public InputError(String message) {
        super(message);
    }

    public InputError(String message, Throwable cause) {
        super(message, cause);
    }
}
