package io.kbench.protocol;

/** Why a reader skipped a record. Each is logged once and counted, never fatal. */
public enum SkipReason {
    CORRUPT,
    UNKNOWN_TYPE,
    NEWER_VERSION,
    EXPIRED,
    UNSIGNED,
    BAD_SIGNATURE,
    REPLAYED;

    /** The label used in metrics ({@code reason="corrupt"}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
