package io.tri4j;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per server call at INFO, when it ends: method, status, duration, the client's
 * address, and the messages each way with their bytes on the wire (compressed, if they were).
 *
 * <pre>
 * tri4j.Greeter/greet OK 0.84ms peer=/127.0.0.1:53422 rcvd=1/12B sent=1/18B
 * </pre>
 *
 * <p>Register it first ({@link ServerOptions#withInterceptors}) to time the other interceptors too.
 * Its logger is this class's name: route or silence it there. With INFO off for it, calls pass
 * through untouched.
 */
public final class AccessLogInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(AccessLogInterceptor.class);

  private AccessLogInterceptor() {}

  /** The interceptor. */
  public static AccessLogInterceptor create() {
    return new AccessLogInterceptor();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!log.isInfoEnabled()) {
      return next.startCall(call, headers);
    }
    Entry<Q, R> entry = new Entry<>(call);
    call.addStreamTracer(entry.counts);
    return new ForwardingServerCallListener<>(next.startCall(entry, headers)) {
      @Override
      public void onCancel(Status status) {
        try {
          super.onCancel(status);
        } finally {
          entry.ended(status);
        }
      }
    };
  }

  /** One call's line, written once when it ends. */
  private static final class Entry<Q, R> extends ForwardingServerCall<Q, R> {
    final Counts counts = new Counts();
    private final long start;
    private boolean ended; // guarded by this

    Entry(ServerCall<Q, R> call) {
      super(call);
      start = call.startNanoTime(); // from the request's arrival, as metrics time it
    }

    @Override
    public void close(Status status, Metadata trailers) {
      ended(status);
      super.close(status, trailers);
    }

    void ended(Status status) {
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
      }
      log.info(
          "{} {} {}ms peer={} rcvd={}/{}B sent={}/{}B",
          method().fullName(),
          status.code(),
          String.format(Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e6),
          remoteAddress(),
          counts.received,
          counts.receivedBytes,
          counts.sent,
          counts.sentBytes);
    }
  }

  /** Messages and bytes each way: one writer at a time per direction. */
  private static final class Counts extends StreamTracer {
    volatile long received;
    volatile long receivedBytes;
    volatile long sent;
    volatile long sentBytes;

    @Override
    public void outboundMessage(int wireSize) {
      sent++;
      sentBytes += wireSize;
    }

    @Override
    public void inboundMessage(int wireSize) {
      received++;
      receivedBytes += wireSize;
    }
  }
}
