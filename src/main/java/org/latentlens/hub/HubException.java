package org.latentlens.hub;

import java.io.IOException;

/**
 * A Hub or cache failure the user can act on. The message names the repository, revision and file and says what
 * to do; {@link #reason()} lets callers branch without parsing it. Messages never contain the access token.
 */
public class HubException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** 401/403: gated or private repository, missing or insufficient token. */
        UNAUTHORIZED,
        /** The repository does not exist (or is private and no valid token was sent). */
        REPO_NOT_FOUND,
        /** The repository exists but the branch, tag or commit does not. */
        REVISION_NOT_FOUND,
        /** The repository and revision exist but the file does not. */
        FILE_NOT_FOUND,
        /** Offline (HF_HUB_OFFLINE or the Hub unreachable) and the file is not in the cache. */
        NOT_CACHED,
        /** The downloaded bytes do not match the sha256 or size the Hub announced; the bad file was deleted. */
        CHECKSUM_MISMATCH,
        /** Not enough space on the cache's disk. */
        DISK_FULL,
        /** Retries exhausted on 5xx answers, timeouts or dropped connections. */
        UNAVAILABLE,
        /** The repository's content does not fit the request (e.g. no safetensors weights, not an index). */
        BAD_REPO_CONTENT,
        /** Any other HTTP or I/O failure. */
        OTHER
    }

    /** What went wrong. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason what went wrong
     * @param message what happened and what to do
     */
    public HubException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Creates the exception with a cause.
     *
     * @param reason what went wrong
     * @param message what happened and what to do
     * @param cause the underlying failure
     */
    public HubException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** @return what went wrong */
    public Reason reason() {
        return reason;
    }
}
