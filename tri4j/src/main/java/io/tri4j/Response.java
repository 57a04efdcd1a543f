package io.tri4j;

/**
 * The outcome of a successful single-response call with its metadata.
 *
 * @param message the response message
 * @param headers the response headers
 * @param trailers the trailers
 */
public record Response<R>(R message, Metadata headers, Metadata trailers) {}
