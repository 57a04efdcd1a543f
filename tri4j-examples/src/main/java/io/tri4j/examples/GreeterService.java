package io.tri4j.examples;

import io.tri4j.ReadStream;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.WriteStream;
import java.util.Iterator;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;

/**
 * The Greeter service of {@code greeter.proto}, as dubbo-python's server samples write it. Its
 * behaviour is fixed, because interop checks rely on it:
 *
 * <ul>
 *   <li>{@code greet}: {@code "hello " + name};
 *   <li>{@code clientStream}: the names joined with single spaces;
 *   <li>{@code serverStream}: three replies {@code name-0}, {@code name-1}, {@code name-2};
 *   <li>{@code biStream}: one reply per request echoing its name, sent as soon as the request
 *       arrives.
 * </ul>
 */
public final class GreeterService {
  public static final String SERVICE_NAME = "org.apache.dubbo.samples.proto.Greeter";

  private GreeterService() {}

  /** The service handler, ready for a {@code ServiceConfig}. */
  public static RpcServiceHandler handler() {
    return new RpcServiceHandler(
        SERVICE_NAME,
        Map.of(
            "greet",
            RpcMethodHandler.unary(
                GreeterService::greet, GreeterRequest::parseFrom, GreeterReply::toByteArray),
            "clientStream",
            RpcMethodHandler.clientStream(
                GreeterService::clientStream, GreeterRequest::parseFrom, GreeterReply::toByteArray),
            "serverStream",
            RpcMethodHandler.serverStream(
                GreeterService::serverStream, GreeterRequest::parseFrom, GreeterReply::toByteArray),
            "biStream",
            RpcMethodHandler.biStream(
                GreeterService::biStream, GreeterRequest::parseFrom, GreeterReply::toByteArray)));
  }

  static GreeterReply reply(String message) {
    return GreeterReply.newBuilder().setMessage(message).build();
  }

  static GreeterReply greet(GreeterRequest request) {
    return reply("hello " + request.getName());
  }

  /** dubbo-python's {@code client_stream}: a {@code for} loop over the request stream. */
  static GreeterReply clientStream(ReadStream<GreeterRequest> requests) {
    StringJoiner names = new StringJoiner(" ");
    for (GreeterRequest request : requests) {
      names.add(request.getName());
    }
    return reply(names.toString());
  }

  /** A server stream in writer form: replies are written as they are made. */
  static void serverStream(GreeterRequest request, WriteStream<GreeterReply> replies) {
    for (int i = 0; i < 3; i++) {
      replies.write(reply(request.getName() + "-" + i));
    }
  }

  /**
   * dubbo-python's {@code bi_stream}, in iterator form: {@code for request in request_stream:
   * yield}. The mapping is lazy, so each reply leaves as soon as its request has arrived.
   */
  static Iterator<GreeterReply> biStream(ReadStream<GreeterRequest> requests) {
    return requests.stream().map(request -> reply(request.getName())).iterator();
  }
}
