package io.tri4j.internal.call;

import io.tri4j.BidiStreamCallable;
import io.tri4j.CallHandle;
import io.tri4j.CallOptions;
import io.tri4j.ClientStreamCallable;
import io.tri4j.Deserializer;
import io.tri4j.RequestObserver;
import io.tri4j.Response;
import io.tri4j.ResponseStream;
import io.tri4j.Serializer;
import io.tri4j.ServerStreamCallable;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.StreamObserver;
import io.tri4j.StreamingCall;
import io.tri4j.UnaryCallable;
import io.tri4j.internal.codec.Compression;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The four blocking call styles, as callables bound to one method of one target. */
public final class ClientCalls {
  private static final Logger log = LoggerFactory.getLogger(ClientCalls.class);

  private ClientCalls() {}

  public static <Q, R> UnaryCallable<Q, R> unary(
      CallTarget target, String path, Serializer<Q> ser, Deserializer<R> des) {
    return new UnaryCallable<>() {
      @Override
      public Response<R> callForResponse(Q request, CallOptions options) {
        Objects.requireNonNull(request, "request");
        ClientCall<Q, R> call = start(target, path, ser, des, true, options);
        sendOnly(call, request);
        return call.readSingleResponse();
      }

      @Override
      public CompletableFuture<R> callAsync(Q request, CallOptions options) {
        Objects.requireNonNull(request, "request");
        CompletableFuture<R> future = new CompletableFuture<>();
        AsyncClientCall<Q, R> call =
            startAsync(target, path, ser, des, options, true, new SingleResponse<>(future));
        future.whenComplete(
            (r, e) -> {
              if (future.isCancelled()) {
                call.cancel("The future was cancelled");
              }
            });
        call.sendLast(request);
        return future;
      }
    };
  }

  public static <Q, R> ServerStreamCallable<Q, R> serverStream(
      CallTarget target, String path, Serializer<Q> ser, Deserializer<R> des) {
    return new ServerStreamCallable<>() {
      @Override
      public ResponseStream<R> call(Q request, CallOptions options) {
        Objects.requireNonNull(request, "request");
        ClientCall<Q, R> call = start(target, path, ser, des, false, options);
        sendOnly(call, request);
        return call;
      }

      @Override
      public CallHandle callAsync(Q request, StreamObserver<R> responses, CallOptions options) {
        Objects.requireNonNull(request, "request");
        AsyncClientCall<Q, R> call = startAsync(target, path, ser, des, options, false, responses);
        call.sendLast(request);
        return call;
      }
    };
  }

  public static <Q, R> ClientStreamCallable<Q, R> clientStream(
      CallTarget target, String path, Serializer<Q> ser, Deserializer<R> des) {
    return new ClientStreamCallable<>() {
      @Override
      public R call(Iterator<? extends Q> requests, CallOptions options) {
        ClientCall<Q, R> call = start(target, path, ser, des, true, options);
        call.writeAll(requests); // cancels the call if the iterator throws
        return call.readSingle();
      }

      @Override
      public StreamingCall<Q, R> call(CallOptions options) {
        return start(target, path, ser, des, true, options);
      }

      @Override
      public RequestObserver<Q> callAsync(StreamObserver<R> response, CallOptions options) {
        return startAsync(target, path, ser, des, options, true, response);
      }
    };
  }

  public static <Q, R> BidiStreamCallable<Q, R> bidiStream(
      CallTarget target, String path, Serializer<Q> ser, Deserializer<R> des) {
    return new BidiStreamCallable<>() {
      @Override
      public ResponseStream<R> call(Iterator<? extends Q> requests, CallOptions options) {
        ClientCall<Q, R> call = start(target, path, ser, des, false, options);
        try {
          FutureTask<Void> pump = new FutureTask<>(() -> pump(call, requests), null);
          call.pumpRequestsWith(pump);
          target.executor().execute(pump);
        } catch (RejectedExecutionException e) {
          call.cancel(Status.UNAVAILABLE.withDescription("The client is closed").withCause(e));
        }
        return call;
      }

      @Override
      public StreamingCall<Q, R> call(CallOptions options) {
        return start(target, path, ser, des, false, options);
      }

      @Override
      public RequestObserver<Q> callAsync(StreamObserver<R> responses, CallOptions options) {
        return startAsync(target, path, ser, des, options, false, responses);
      }
    };
  }

  private static <Q, R> void pump(ClientCall<Q, R> call, Iterator<? extends Q> requests) {
    try {
      call.writeAll(requests); // cancels the call if the iterator throws
    } catch (RuntimeException | Error e) {
      // The call has ended or was cancelled; its reader sees the status.
      log.debug("Request writer stopped", e);
    }
  }

  /** Sends the one request of a call and half-closes; cancels the call if that fails. */
  private static <Q, R> void sendOnly(ClientCall<Q, R> call, Q request) {
    try {
      call.send(request, true);
    } catch (StatusException e) {
      throw e; // the call has already ended with this status
    } catch (RuntimeException | Error e) {
      call.cancel(
          Status.CANCELLED.withDescription("Sending the request failed: " + e).withCause(e));
      throw e;
    }
  }

  private static <Q, R> AsyncClientCall<Q, R> startAsync(
      CallTarget target,
      String path,
      Serializer<Q> ser,
      Deserializer<R> des,
      CallOptions options,
      boolean singleResponse,
      StreamObserver<R> responses) {
    Objects.requireNonNull(responses, "responses");
    Deadline deadline = deadline(target, options);
    Compression compression = compression(target, options);
    ClientStream stream =
        target.transport().newStream(path, options.headers(), deadline, compression);
    AsyncClientCall<Q, R> call =
        new AsyncClientCall<>(
            stream, ser, des, compression, singleResponse, responses, target.callbackExecutor());
    call.start();
    return call;
  }

  /** Completes a future with the single response of a unary call. */
  private static final class SingleResponse<R> implements StreamObserver<R> {
    private final CompletableFuture<R> future;
    private R response;

    SingleResponse(CompletableFuture<R> future) {
      this.future = future;
    }

    @Override
    public void onNext(R value) {
      if (response != null) {
        throw Status.INTERNAL
            .withDescription("More than one response received for a single-response call")
            .asException();
      }
      response = value;
    }

    @Override
    public void onError(Throwable error) {
      future.completeExceptionally(error);
    }

    @Override
    public void onCompleted() {
      if (response == null) {
        future.completeExceptionally(
            Status.INTERNAL
                .withDescription("No response received for a single-response call")
                .asException());
      } else {
        future.complete(response);
      }
    }
  }

  /** The call's request compression: its options', else the target's default (null: none). */
  private static Compression compression(CallTarget target, CallOptions options) {
    return Compression.forEncoding(
        options.compression() != null ? options.compression() : target.defaultCompression());
  }

  private static Deadline deadline(CallTarget target, CallOptions options) {
    Duration timeout = options.timeout() != null ? options.timeout() : target.defaultTimeout();
    return timeout == null ? null : Deadline.after(timeout);
  }

  private static <Q, R> ClientCall<Q, R> start(
      CallTarget target,
      String path,
      Serializer<Q> ser,
      Deserializer<R> des,
      boolean singleResponse,
      CallOptions options) {
    Deadline deadline = deadline(target, options);
    Compression compression = compression(target, options);
    ClientStream stream =
        target.transport().newStream(path, options.headers(), deadline, compression);
    ClientCall<Q, R> call = new ClientCall<>(stream, ser, des, singleResponse, compression);
    call.start();
    return call;
  }
}
