package dl;

/** Why a download failed; the exit status depends on it. */
public enum Failure { HTTP, NETWORK, CHECKSUM, FILE, INTERRUPTED }
