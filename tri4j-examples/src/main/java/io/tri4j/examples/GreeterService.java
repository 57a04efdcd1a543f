package io.tri4j.examples;

import io.tri4j.ReadStream;
import io.tri4j.RpcServiceHandler;
import io.tri4j.WriteStream;
import java.util.Iterator;
import java.util.StringJoiner;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;

/**
 * The Greeter service of {@code greeter.proto}, as dubbo-python's server samples write it, on the
 * interface protoc-gen-tri4j generates. Its behaviour is fixed, because interop checks rely on it:
 *
 * <ul>
 *   <li>{@code greet}: {@code "hello " + name};
 *   <li>{@code clientStream}: the names joined with single spaces;
 *   <li>{@code serverStream}: three replies {@code name-0}, {@code name-1}, {@code name-2};
 *   <li>{@code biStream}: one reply per request echoing its name, sent as soon as the request
 *       arrives.
 * </ul>
 */
public final class GreeterService implements GreeterTri4j.Greeter {

  /** The service handler, ready for a {@code ServiceConfig}. */
  public static RpcServiceHandler handler() {
    return GreeterTri4j.serviceHandler(new GreeterService());
  }

  static GreeterReply reply(String message) {
    return GreeterReply.newBuilder().setMessage(message).build();
  }

  @Override
  public GreeterReply greet(GreeterRequest request) {
    return reply("hello " + request.getName());
  }

  /** dubbo-python's {@code client_stream}: a {@code for} loop over the request stream. */
  @Override
  public GreeterReply clientStream(ReadStream<GreeterRequest> requests) {
    StringJoiner names = new StringJoiner(" ");
    for (GreeterRequest request : requests) {
      names.add(request.getName());
    }
    return reply(names.toString());
  }

  /** A server stream in writer form: replies are written as they are made. */
  @Override
  public void serverStream(GreeterRequest request, WriteStream<GreeterReply> replies) {
    for (int i = 0; i < 3; i++) {
      replies.write(reply(request.getName() + "-" + i));
    }
  }

  /**
   * dubbo-python's {@code bi_stream}, in iterator form: {@code for request in request_stream:
   * yield}. The mapping is lazy, so each reply leaves as soon as its request has arrived.
   */
  @Override
  public Iterator<GreeterReply> biStream(ReadStream<GreeterRequest> requests) {
    return requests.stream().map(request -> reply(request.getName())).iterator();
  }
}
