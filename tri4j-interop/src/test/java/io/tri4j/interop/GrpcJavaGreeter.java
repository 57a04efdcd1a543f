package io.tri4j.interop;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.apache.dubbo.samples.proto.GreeterGrpc;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;

/**
 * Greeter written with grpc-java, behaving as the tri4j example server does. A name starting with
 * {@code error:} fails the call with INVALID_ARGUMENT and the rest of the name as the message.
 */
final class GrpcJavaGreeter extends GreeterGrpc.GreeterImplBase {
  static final String ERROR_PREFIX = "error:";

  private static GreeterReply reply(String message) {
    return GreeterReply.newBuilder().setMessage(message).build();
  }

  private static boolean failed(GreeterRequest request, StreamObserver<?> out) {
    if (request.getName().startsWith(ERROR_PREFIX)) {
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription(request.getName().substring(ERROR_PREFIX.length()))
              .asRuntimeException());
      return true;
    }
    return false;
  }

  @Override
  public void greet(GreeterRequest request, StreamObserver<GreeterReply> out) {
    if (!failed(request, out)) {
      out.onNext(reply("hello " + request.getName()));
      out.onCompleted();
    }
  }

  @Override
  public StreamObserver<GreeterRequest> clientStream(StreamObserver<GreeterReply> out) {
    List<String> names = new ArrayList<>();
    return new StreamObserver<>() {
      @Override
      public void onNext(GreeterRequest request) {
        names.add(request.getName());
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        out.onNext(reply(String.join(" ", names)));
        out.onCompleted();
      }
    };
  }

  @Override
  public void serverStream(GreeterRequest request, StreamObserver<GreeterReply> out) {
    for (int i = 0; i < 3; i++) {
      out.onNext(reply(request.getName() + "-" + i));
    }
    if (!failed(request, out)) {
      out.onCompleted();
    }
  }

  @Override
  public StreamObserver<GreeterRequest> biStream(StreamObserver<GreeterReply> out) {
    return new StreamObserver<>() {
      @Override
      public void onNext(GreeterRequest request) {
        out.onNext(reply(request.getName()));
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    };
  }
}
