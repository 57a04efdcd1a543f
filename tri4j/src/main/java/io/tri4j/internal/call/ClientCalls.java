package io.tri4j.internal.call;

import io.tri4j.BidiStreamCallable;
import io.tri4j.CallHandle;
import io.tri4j.CallOptions;
import io.tri4j.ClientInterceptor;
import io.tri4j.ClientStreamCallable;
import io.tri4j.Deserializer;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
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
import io.tri4j.internal.codec.OutboundMessage;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
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
      CallTarget target, MethodInfo method, Serializer<Q> ser, Deserializer<R> des) {
    return new UnaryCallable<>() {
      @Override
      public Response<R> callForResponse(Q request, CallOptions options) {
        Objects.requireNonNull(request, "request");
        BlockingClientCall<Q, R> call = start(target, method, ser, des, true, options);
        sendOnly(call, request);
        return call.readSingleResponse();
      }

      @Override
      public CompletableFuture<R> callAsync(Q request, CallOptions options) {
        Objects.requireNonNull(request, "request");
        UnaryFuture<R> future = new UnaryFuture<>();
        AsyncClientCall<Q, R> call = startAsync(target, method, ser, des, options, true, future);
        future.call = call;
        call.sendLast(request);
        return future;
      }
    };
  }

  public static <Q, R> ServerStreamCallable<Q, R> serverStream(
      CallTarget target, MethodInfo method, Serializer<Q> ser, Deserializer<R> des) {
    return new ServerStreamCallable<>() {
      @Override
      public ResponseStream<R> call(Q request, CallOptions options) {
        Objects.requireNonNull(request, "request");
        BlockingClientCall<Q, R> call = start(target, method, ser, des, false, options);
        sendOnly(call, request);
        return call;
      }

      @Override
      public CallHandle callAsync(Q request, StreamObserver<R> responses, CallOptions options) {
        Objects.requireNonNull(request, "request");
        AsyncClientCall<Q, R> call =
            startAsync(target, method, ser, des, options, false, responses);
        call.sendLast(request);
        return call;
      }
    };
  }

  public static <Q, R> ClientStreamCallable<Q, R> clientStream(
      CallTarget target, MethodInfo method, Serializer<Q> ser, Deserializer<R> des) {
    return new ClientStreamCallable<>() {
      @Override
      public R call(Iterator<? extends Q> requests, CallOptions options) {
        BlockingClientCall<Q, R> call = start(target, method, ser, des, true, options);
        call.writeAll(requests); // cancels the call if the iterator throws
        return call.readSingle();
      }

      @Override
      public StreamingCall<Q, R> call(CallOptions options) {
        return start(target, method, ser, des, true, options);
      }

      @Override
      public RequestObserver<Q> callAsync(StreamObserver<R> response, CallOptions options) {
        return startAsync(target, method, ser, des, options, true, response);
      }
    };
  }

  public static <Q, R> BidiStreamCallable<Q, R> bidiStream(
      CallTarget target, MethodInfo method, Serializer<Q> ser, Deserializer<R> des) {
    return new BidiStreamCallable<>() {
      @Override
      public ResponseStream<R> call(Iterator<? extends Q> requests, CallOptions options) {
        BlockingClientCall<Q, R> call = start(target, method, ser, des, false, options);
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
        return start(target, method, ser, des, false, options);
      }

      @Override
      public RequestObserver<Q> callAsync(StreamObserver<R> responses, CallOptions options) {
        return startAsync(target, method, ser, des, options, false, responses);
      }
    };
  }

  private static <Q, R> void pump(BlockingClientCall<Q, R> call, Iterator<? extends Q> requests) {
    try {
      call.writeAll(requests); // cancels the call if the iterator throws
    } catch (RuntimeException | Error e) {
      // The call has ended or was cancelled; its reader sees the status.
      log.debug("Request writer stopped", e);
    }
  }

  /**
   * Sends the one request of a call and half-closes; cancels the call if that fails. A call that
   * has already ended (the server refused it before the request went out) is returned as it is: its
   * reader sees the status, whether the server's answer came before the send or after.
   */
  private static <Q, R> void sendOnly(BlockingClientCall<Q, R> call, Q request) {
    try {
      call.send(request, true);
    } catch (StatusException e) {
      log.debug("The call ended before its request was sent", e);
    } catch (RuntimeException | Error e) {
      call.cancel(
          Status.CANCELLED.withDescription("Sending the request failed: " + e).withCause(e));
      throw e;
    }
  }

  private static <Q, R> AsyncClientCall<Q, R> startAsync(
      CallTarget target,
      MethodInfo method,
      Serializer<Q> ser,
      Deserializer<R> des,
      CallOptions options,
      boolean singleResponse,
      StreamObserver<R> responses) {
    Objects.requireNonNull(responses, "responses");
    Opened<Q> opened = open(target, method, ser, des, options);
    AsyncClientCall<Q, R> call =
        new AsyncClientCall<>(
            opened.stream(),
            opened.serializer(),
            des,
            opened.compression(),
            singleResponse,
            responses,
            // Not the thread an interceptor's chain calls back on (a deferred call's stage may
            // complete anywhere): the observer always hears from the callback executor.
            target.callbackExecutor());
    call.start();
    return call;
  }

  /**
   * A call's stream, and how its messages are to be serialized and compressed on their way to it
   * (an interceptor chain takes them as objects, and serializes further down).
   */
  private record Opened<Q>(
      ClientStream stream, Serializer<Q> serializer, Compression compression) {}

  /**
   * The request headers of calls with the default options, shared: transports only read the headers
   * they are given ({@link ClientTransport#newStream}).
   */
  private static final Metadata NO_HEADERS = new Metadata();

  /** {@code options}' request headers for a transport: a copy, unless there are none to copy. */
  private static Metadata headers(CallOptions options) {
    return options == CallOptions.DEFAULT ? NO_HEADERS : options.headers();
  }

  /** Opens the stream of a new call: straight to the transport, or through its interceptors. */
  @SuppressWarnings("unchecked")
  private static <Q, R> Opened<Q> open(
      CallTarget target,
      MethodInfo method,
      Serializer<Q> ser,
      Deserializer<R> des,
      CallOptions options) {
    List<ClientInterceptor> interceptors = target.interceptors(options);
    Deadline deadline = deadline(target, options);
    if (interceptors.isEmpty()) {
      Compression compression = compression(target, options);
      ClientStream stream =
          target
              .transport()
              .newStream(method, headers(options), deadline, compression, options.streamTracers());
      return new Opened<>(DeadlineClientStream.of(stream, deadline), ser, compression);
    }
    return new Opened<>(
        DeadlineClientStream.of(
            InterceptedClientStream.open(target, method, ser, des, options, deadline, interceptors),
            deadline),
        (Serializer<Q>) (Serializer<?>) OutboundMessage.HELD,
        null);
  }

  /**
   * A unary call's future, which is also where its response goes, and cancels the call if it is
   * cancelled (by {@code cancel}, or completed or obtruded with a {@code CancellationException}):
   * one object where a future, an observer and a completion callback would do. Stages made from it
   * are plain futures.
   */
  private static final class UnaryFuture<R> extends CompletableFuture<R>
      implements StreamObserver<R> {
    /**
     * Set once the call started, before the future is handed out; volatile for a future handed to
     * another thread without a safe publication of its own.
     */
    volatile AsyncClientCall<?, R> call;

    private R response; // the call's callbacks only

    @Override
    public boolean completeExceptionally(Throwable error) {
      boolean completed = super.completeExceptionally(error);
      if (completed && error instanceof CancellationException) {
        cancelCall();
      }
      return completed;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean wasDone = isDone(); // cancel() says true again for a future already cancelled
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled && !wasDone) {
        cancelCall();
      }
      return cancelled;
    }

    @Override
    public void obtrudeException(Throwable error) {
      boolean wasCancelled = isCancelled();
      super.obtrudeException(error);
      if (error instanceof CancellationException && !wasCancelled) {
        cancelCall();
      }
    }

    /** Cancels the call; a failure to (an interceptor's) is logged, not thrown at the canceller. */
    private void cancelCall() {
      AsyncClientCall<?, R> c = call;
      if (c == null) {
        return;
      }
      try {
        c.cancel("The future was cancelled");
      } catch (RuntimeException e) {
        log.warn("Cancelling a call whose future was cancelled failed", e);
      }
    }

    @Override
    public void onNext(R value) {
      response = SingleMessage.response(response, value);
    }

    @Override
    public void onError(Throwable error) {
      super.completeExceptionally(error);
    }

    @Override
    public void onCompleted() {
      try {
        complete(SingleMessage.onlyResponse(response));
      } catch (StatusException e) {
        super.completeExceptionally(e);
      }
    }
  }

  /** The call's request compression: its options', else the target's default (null: none). */
  static Compression compression(CallTarget target, CallOptions options) {
    return Compression.forEncoding(
        options.compression() != null ? options.compression() : target.defaultCompression());
  }

  /** The call's deadline, counted from now: its options' timeout, else the target's default. */
  static Deadline deadline(CallTarget target, CallOptions options) {
    Duration timeout = options.timeout() != null ? options.timeout() : target.defaultTimeout();
    return timeout == null ? null : Deadline.after(timeout, target.clock());
  }

  private static <Q, R> BlockingClientCall<Q, R> start(
      CallTarget target,
      MethodInfo method,
      Serializer<Q> ser,
      Deserializer<R> des,
      boolean singleResponse,
      CallOptions options) {
    Opened<Q> opened = open(target, method, ser, des, options);
    BlockingClientCall<Q, R> call =
        new BlockingClientCall<>(
            opened.stream(),
            opened.serializer(),
            des,
            singleResponse,
            opened.compression(),
            target.stats());
    call.start();
    return call;
  }
}
