package io.tri4j;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A service over strings whose handlers use {@link ServerContext} and report what they observed (on
 * {@link #events}) so tests can check the server side of deadlines and cancellation.
 */
final class ContextService {
  static final String NAME = "tri4j.test.Context";

  /** What handlers observed, such as "sleep:cancelled" or "read:DEADLINE_EXCEEDED". */
  final BlockingQueue<String> events = new LinkedBlockingQueue<>();

  /** A permit for each {@code sleep} handler that has started and listens for its cancel. */
  final Semaphore sleeping = new Semaphore(0);

  String nextEvent() throws InterruptedException {
    String event = events.poll(10, TimeUnit.SECONDS);
    if (event == null) {
      throw new AssertionError("the handler reported nothing within 10 s");
    }
    return event;
  }

  RpcServiceHandler handler() {
    return new RpcServiceHandler(
        NAME,
        Map.of(
            "sleep", RpcMethodHandler.unary(this::sleep, EchoService.DES, EchoService.SER),
            "remaining",
                RpcMethodHandler.unary(ContextService::remaining, EchoService.DES, EchoService.SER),
            "metadata",
                RpcMethodHandler.unary(ContextService::metadata, EchoService.DES, EchoService.SER),
            "metadataStream",
                RpcMethodHandler.serverStream(
                    ContextService::metadataStream, EchoService.DES, EchoService.SER),
            "blockRead",
                RpcMethodHandler.biStream(this::blockRead, EchoService.DES, EchoService.SER),
            "endThenRead",
                RpcMethodHandler.biStream(this::endThenRead, EchoService.DES, EchoService.SER),
            "blockWrite",
                RpcMethodHandler.serverStream(this::blockWrite, EchoService.DES, EchoService.SER),
            "compressed",
                RpcMethodHandler.unary(
                    r -> "compressed=" + ServerContext.current().lastRequestCompressed(),
                    EchoService.DES,
                    EchoService.SER),
            "compressedStream",
                RpcMethodHandler.biStream(
                    (ReadStream<String> requests, WriteStream<String> replies) -> {
                      for (String r : requests) {
                        replies.write(r + ":" + ServerContext.current().lastRequestCompressed());
                      }
                    },
                    EchoService.DES,
                    EchoService.SER),
            "compressReply",
                RpcMethodHandler.unary(
                    encoding -> {
                      ServerContext.current().setCompression(encoding);
                      return "z".repeat(10_000);
                    },
                    EchoService.DES,
                    EchoService.SER)));
  }

  /** Sleeps for the requested milliseconds unless cancelled first; reports which. */
  private String sleep(String millis) throws InterruptedException {
    ServerContext ctx = ServerContext.current();
    ctx.addCancelListener(() -> events.add("listener:cancelled"));
    sleeping.release();
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(millis));
    while (System.nanoTime() < end) {
      if (ctx.isCancelled()) {
        events.add("sleep:cancelled");
        throw Status.CANCELLED.withDescription("gave up").asException();
      }
      Thread.sleep(5);
    }
    events.add("sleep:completed");
    return "slept " + millis;
  }

  private static String remaining(String ignored) {
    return ServerContext.current()
        .timeRemaining()
        .map(Duration::toMillis)
        .map(String::valueOf)
        .orElse("none");
  }

  /**
   * Echoes request header x-initial into the response headers and x-trailing-bin into the trailers;
   * answers with x-value. A request "fail" ends with ABORTED and the trailers.
   */
  private static String metadata(String request) {
    ServerContext ctx = ServerContext.current();
    Metadata in = ctx.requestHeaders();
    if (in.get("x-initial") != null) {
      ctx.responseHeaders().put("x-initial", in.get("x-initial"));
    }
    if (in.getBinary("x-trailing-bin") != null) {
      ctx.responseTrailers().putBinary("x-trailing-bin", in.getBinary("x-trailing-bin"));
    }
    if (request.equals("fail")) {
      throw new StatusException(
          Status.ABORTED.withDescription("failed on purpose"),
          new Metadata().put("x-error-detail", "detail"));
    }
    return String.valueOf(in.get("x-value"));
  }

  private static void metadataStream(String request, WriteStream<String> out) {
    ServerContext ctx = ServerContext.current();
    ctx.responseHeaders().put("x-initial", "stream-headers");
    out.write("one");
    ctx.responseTrailers().put("x-final", "stream-trailers");
    out.write("two");
  }

  /** Reads until reading fails; reports the status code of the failure. */
  private void blockRead(ReadStream<String> requests, WriteStream<String> responses) {
    try {
      for (String r : requests) {
        responses.write(r);
      }
      events.add("read:end");
    } catch (StatusException e) {
      events.add("read:" + e.getStatus().code());
      events.add("cancelled:" + ServerContext.current().isCancelled());
      throw e;
    }
  }

  /**
   * Echoes one request and ends the call, then reads on; reports what that read found ("end" or the
   * message) or the status code it failed with.
   */
  private void endThenRead(ReadStream<String> requests, WriteStream<String> responses) {
    responses.write(requests.read());
    responses.doneWriting();
    try {
      String next = requests.read();
      events.add("after-end:" + (next == null ? "end" : next));
    } catch (StatusException e) {
      events.add("after-end:" + e.getStatus().code());
    }
  }

  /** Writes until writing fails; reports the status code of the failure. */
  private void blockWrite(String request, WriteStream<String> responses) {
    try {
      for (int i = 0; ; i++) {
        responses.write("tick " + i);
      }
    } catch (StatusException e) {
      events.add("write:" + e.getStatus().code());
      throw e;
    }
  }
}
