package dev.reel.service.storage;

/** One stored part of an S3 multipart upload. */
public record CompletedPart(int number, String etag, long size) {
}
