package io.ragsync.jobs;

/** The document's file cannot be read from shared storage (missing, unreadable, outside the root). */
public class DownloadFailedException extends RuntimeException {

    public DownloadFailedException(String message) {
        super(message);
    }
}
