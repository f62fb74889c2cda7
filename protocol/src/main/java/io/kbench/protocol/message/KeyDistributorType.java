package io.kbench.protocol.message;

/** OMB's key distributors, with OMB's names. */
public enum KeyDistributorType {
    NO_KEY,
    KEY_ROUND_ROBIN,
    RANDOM_NANO
}
