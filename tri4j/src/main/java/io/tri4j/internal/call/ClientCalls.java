package io.tri4j.internal.call;

import io.tri4j.BidiStreamCallable;
import io.tri4j.ClientStreamCallable;
import io.tri4j.Deserializer;
import io.tri4j.ReadStream;
import io.tri4j.Serializer;
import io.tri4j.ServerStreamCallable;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.StreamingCall;
import io.tri4j.UnaryCallable;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The four blocking call styles, as callables bound to one method of one transport. */
public final class ClientCalls {
  private static final Logger log = LoggerFactory.getLogger(ClientCalls.class);

  private ClientCalls() {}

  public static <Q, R> UnaryCallable<Q, R> unary(
      ClientTransport transport, String path, Serializer<Q> ser, Deserializer<R> des) {
    return request -> {
      ClientCall<Q, R> call = start(transport, path, ser, des, true);
      call.send(request, true);
      return call.readSingle();
    };
  }

  public static <Q, R> ServerStreamCallable<Q, R> serverStream(
      ClientTransport transport, String path, Serializer<Q> ser, Deserializer<R> des) {
    return request -> {
      ClientCall<Q, R> call = start(transport, path, ser, des, false);
      call.send(request, true);
      return call;
    };
  }

  public static <Q, R> ClientStreamCallable<Q, R> clientStream(
      ClientTransport transport, String path, Serializer<Q> ser, Deserializer<R> des) {
    return new ClientStreamCallable<>() {
      @Override
      public R call(Iterator<? extends Q> requests) {
        ClientCall<Q, R> call = start(transport, path, ser, des, true);
        try {
          call.writeAll(requests);
        } catch (StatusException e) {
          throw e;
        } catch (RuntimeException | Error e) {
          call.cancel(
              Status.CANCELLED.withDescription("The request iterator failed: " + e).withCause(e));
          throw e;
        }
        return call.readSingle();
      }

      @Override
      public StreamingCall<Q, R> call() {
        return start(transport, path, ser, des, true);
      }
    };
  }

  public static <Q, R> BidiStreamCallable<Q, R> bidiStream(
      ClientTransport transport,
      String path,
      Serializer<Q> ser,
      Deserializer<R> des,
      ExecutorService requestPumps) {
    return new BidiStreamCallable<>() {
      @Override
      public ReadStream<R> call(Iterator<? extends Q> requests) {
        ClientCall<Q, R> call = start(transport, path, ser, des, false);
        try {
          call.pumpRequestsWith(requestPumps.submit(() -> pump(call, requests)));
        } catch (RejectedExecutionException e) {
          call.cancel(Status.UNAVAILABLE.withDescription("The client is closed").withCause(e));
        }
        return call;
      }

      @Override
      public StreamingCall<Q, R> call() {
        return start(transport, path, ser, des, false);
      }
    };
  }

  private static <Q, R> void pump(ClientCall<Q, R> call, Iterator<? extends Q> requests) {
    try {
      call.writeAll(requests);
    } catch (StatusException e) {
      // The call has ended; its reader sees the status.
      log.debug("Request pump stopped: {}", e.getStatus());
    } catch (Throwable t) {
      call.cancel(
          Status.CANCELLED.withDescription("The request iterator failed: " + t).withCause(t));
    }
  }

  private static <Q, R> ClientCall<Q, R> start(
      ClientTransport transport,
      String path,
      Serializer<Q> ser,
      Deserializer<R> des,
      boolean singleResponse) {
    ClientCall<Q, R> call = new ClientCall<>(transport.newStream(path), ser, des, singleResponse);
    call.start();
    return call;
  }
}
