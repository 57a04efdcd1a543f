package io.tri4j.protoc;

import io.tri4j.ReadStream;
import io.tri4j.ResponseObserver;
import io.tri4j.ServerContext;
import io.tri4j.StreamObserver;
import io.tri4j.WriteStream;
import java.util.Iterator;
import java.util.List;
import java.util.StringJoiner;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;

/**
 * The Greeter of {@code greeter.proto} on the generated server interfaces, blocking and async, with
 * the examples' behaviour: {@code greet} says hello (and adds the request header {@code x-suffix}),
 * {@code clientStream} joins the names, {@code serverStream} answers {@code name-0} to {@code
 * name-2}, {@code biStream} echoes each name as it arrives.
 */
final class GreeterImplementations {
  private GreeterImplementations() {}

  static GreeterReply reply(String message) {
    return GreeterReply.newBuilder().setMessage(message).build();
  }

  static GreeterRequest request(String name) {
    return GreeterRequest.newBuilder().setName(name).build();
  }

  private static String hello(GreeterRequest request) {
    String suffix = ServerContext.current().requestHeaders().get("x-suffix");
    return "hello " + request.getName() + (suffix == null ? "" : suffix);
  }

  /** Blocking, with a server stream in iterator form and a bidi stream in writer form. */
  static final class Blocking implements GreeterTri4j.Greeter {
    @Override
    public GreeterReply greet(GreeterRequest request) {
      return reply(hello(request));
    }

    @Override
    public GreeterReply clientStream(ReadStream<GreeterRequest> requests) {
      StringJoiner names = new StringJoiner(" ");
      for (GreeterRequest request : requests) {
        names.add(request.getName());
      }
      return reply(names.toString());
    }

    @Override
    public Iterator<GreeterReply> serverStream(GreeterRequest request) {
      String name = request.getName();
      return List.of(reply(name + "-0"), reply(name + "-1"), reply(name + "-2")).iterator();
    }

    @Override
    public void biStream(ReadStream<GreeterRequest> requests, WriteStream<GreeterReply> responses) {
      for (GreeterRequest request : requests) {
        responses.write(reply(request.getName()));
      }
    }
  }

  /** Async, answering through the response observers. */
  static final class Async implements GreeterTri4j.AsyncGreeter {
    @Override
    public void greet(GreeterRequest request, ResponseObserver<GreeterReply> responses) {
      responses.onNext(reply(hello(request)));
      responses.onCompleted();
    }

    @Override
    public StreamObserver<GreeterRequest> clientStream(ResponseObserver<GreeterReply> responses) {
      StringJoiner names = new StringJoiner(" ");
      return new StreamObserver<>() {
        @Override
        public void onNext(GreeterRequest request) {
          names.add(request.getName());
        }

        @Override
        public void onError(Throwable error) {}

        @Override
        public void onCompleted() {
          responses.onNext(reply(names.toString()));
          responses.onCompleted();
        }
      };
    }

    @Override
    public void serverStream(GreeterRequest request, ResponseObserver<GreeterReply> responses) {
      for (int i = 0; i < 3; i++) {
        responses.onNext(reply(request.getName() + "-" + i));
      }
      responses.onCompleted();
    }

    @Override
    public StreamObserver<GreeterRequest> biStream(ResponseObserver<GreeterReply> responses) {
      return new StreamObserver<>() {
        @Override
        public void onNext(GreeterRequest request) {
          responses.onNext(reply(request.getName()));
        }

        @Override
        public void onError(Throwable error) {}

        @Override
        public void onCompleted() {
          responses.onCompleted();
        }
      };
    }
  }
}
