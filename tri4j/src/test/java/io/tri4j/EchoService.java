package io.tri4j;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service over plain strings (UTF-8) for the end-to-end tests. Requests steer the handlers:
 * {@code status:CODE:message} makes them fail with that status, {@code throw:message} makes them
 * throw a plain exception, {@code n:COUNT:SIZE} asks a server stream for COUNT replies of SIZE
 * characters.
 */
final class EchoService {
  static final String NAME = "tri4j.test.Echo";
  static final Serializer<String> SER = s -> s.getBytes(StandardCharsets.UTF_8);
  static final Deserializer<String> DES = b -> new String(b, StandardCharsets.UTF_8);

  /**
   * Reads as {@link #DES} does, but fails on a request starting "unparseable", with its own text.
   */
  static final Deserializer<String> PICKY =
      b -> {
        String text = DES.deserialize(b);
        if (text.startsWith("unparseable")) {
          throw new IllegalArgumentException("the server's parser at offset 0 of " + text);
        }
        return text;
      };

  /** Replies written by server streams so far, to watch back-pressure. */
  final AtomicInteger streamed = new AtomicInteger();

  RpcServiceHandler handler() {
    return new RpcServiceHandler(
        NAME,
        Map.of(
            "unary", RpcMethodHandler.unary(EchoService::unary, DES, SER),
            "clientStream", RpcMethodHandler.clientStream(EchoService::clientStream, DES, SER),
            "serverStream", RpcMethodHandler.serverStream(this::serverStream, DES, SER),
            "serverStreamIter",
                RpcMethodHandler.serverStream(EchoService::serverStreamIter, DES, SER),
            "biStream", RpcMethodHandler.biStream(EchoService::biStream, DES, SER),
            "biStreamIter", RpcMethodHandler.biStream(EchoService::biStreamIter, DES, SER),
            "pickyUnary", RpcMethodHandler.unary(EchoService::unary, PICKY, SER),
            "pickyBiStream", RpcMethodHandler.biStream(EchoService::biStream, PICKY, SER),
            "biStreamEndsEarly",
                RpcMethodHandler.biStream(
                    (ReadStream<String> requests, WriteStream<String> replies) -> {
                      requests.read();
                      replies.write("bye");
                    },
                    DES,
                    SER)));
  }

  static void steer(String request) {
    if (request.startsWith("status:")) {
      String[] parts = request.split(":", 3);
      throw Status.Code.valueOf(parts[1]).toStatus().withDescription(parts[2]).asException();
    }
    if (request.startsWith("throw:")) {
      throw new IllegalStateException(request.substring("throw:".length()));
    }
  }

  static String unary(String request) {
    steer(request);
    return request;
  }

  static String clientStream(ReadStream<String> requests) {
    StringJoiner joined = new StringJoiner(",");
    for (String request : requests) {
      steer(request);
      joined.add(request);
    }
    return joined.toString();
  }

  void serverStream(String request, WriteStream<String> replies) {
    if (request.startsWith("n:")) {
      String[] parts = request.split(":");
      int count = Integer.parseInt(parts[1]);
      String payload = "x".repeat(Integer.parseInt(parts[2]));
      for (int i = 0; i < count; i++) {
        replies.write(i + ":" + payload);
        streamed.incrementAndGet();
      }
      return;
    }
    replies.write(request + "-0");
    replies.write(request + "-1");
    steer(request);
    replies.write(request + "-2");
  }

  static Iterator<String> serverStreamIter(String request) {
    List<String> replies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      replies.add(request + "-" + i);
    }
    steer(request);
    return replies.iterator();
  }

  static void biStream(ReadStream<String> requests, WriteStream<String> replies) {
    for (String request : requests) {
      steer(request);
      replies.write(request);
    }
  }

  static Iterator<String> biStreamIter(ReadStream<String> requests) {
    return requests.stream()
        .map(
            r -> {
              steer(r);
              return r;
            })
        .iterator();
  }
}
