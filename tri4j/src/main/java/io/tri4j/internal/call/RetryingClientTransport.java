package io.tri4j.internal.call;

import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.Status;
import io.tri4j.StreamTracer;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.OutboundMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Tries a call again on a new stream when its stream ended before the server answered, for every
 * call style and both APIs alike: the one place where retry decisions are made.
 *
 * <ul>
 *   <li><b>Transparent retry</b>: a stream the server never processed ({@link CloseOrigin#REFUSED}:
 *       {@code REFUSED_STREAM}, beyond a GOAWAY's last stream, or never sent because the connection
 *       was going away) is sent again once, whatever the cluster mode.
 *   <li><b>Failover</b>: a stream that ended with {@code UNAVAILABLE} before any response headers
 *       or trailers arrived is sent again, up to {@code retries} times; a cluster picks another
 *       provider for it, as the one that failed is passed over for a moment.
 * </ul>
 *
 * <p>To replay a call, its requests are kept until the server answers, up to {@link
 * #MAX_REPLAY_BYTES}; past that the call is committed to its stream and not tried again, as in
 * gRPC's retry design. A call is also committed once the server answers, or once it is cancelled.
 * The new stream is opened on {@code executor}, since opening one may wait for a connection.
 */
public final class RetryingClientTransport implements ClientTransport {
  /** The most request bytes kept per call for a replay. */
  static final int MAX_REPLAY_BYTES = 1 << 20;

  private final ClientTransport delegate;
  private final int retries;
  private final Executor executor;

  /**
   * @param retries how many times a call that failed with {@code UNAVAILABLE} before the server
   *     answered is tried again (0: only refused streams are, once)
   * @param executor where new streams for retries are opened
   */
  public RetryingClientTransport(ClientTransport delegate, int retries, Executor executor) {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must not be negative: " + retries);
    }
    this.delegate = delegate;
    this.retries = retries;
    this.executor = executor;
  }

  @Override
  public ClientStream newStream(
      MethodInfo method, Metadata headers, Deadline deadline, Compression compression) {
    return new RetryingStream(method, headers, deadline, compression, List.of());
  }

  @Override
  public ClientStream newStream(
      MethodInfo method,
      Metadata headers,
      Deadline deadline,
      Compression compression,
      List<StreamTracer.Factory> tracers) {
    return new RetryingStream(method, headers, deadline, compression, tracers);
  }

  /**
   * Whether a stream that ended so may be sent again: the one retry rule. {@code answered} is
   * whether response headers or trailers arrived.
   */
  static boolean retriable(
      Status status,
      CloseOrigin origin,
      boolean answered,
      int failovers,
      boolean transparentUsed,
      int retries) {
    if (answered) {
      return false;
    }
    if (origin == CloseOrigin.REFUSED && !transparentUsed) {
      return true;
    }
    return status.code() == Status.Code.UNAVAILABLE && failovers < retries;
  }

  /** One call over one stream at a time, replaying its requests on a new stream if need be. */
  private final class RetryingStream implements ClientStream {
    private final MethodInfo method;
    private final Metadata headers;
    private final Deadline deadline;
    private final Compression compression;
    private final List<StreamTracer.Factory> tracers;

    // Written with the lock held; read without it only where a stale value does no harm.
    private volatile ClientStreamListener listener;
    private volatile Attempt current;
    private volatile boolean retryPending;
    // The current attempt is being sent what the call sent before it: the call's own requests wait
    // in the kept list meanwhile, to follow the replay in order.
    private volatile boolean replaying;

    // Set once; read without the lock on the network thread, which never waits for a writer.
    private volatile boolean committed;
    private volatile boolean closed;

    // Guarded by this. Streams are called outside the lock: a write that reaches a stream that has
    // just failed is lost there, but it was kept for the replay first.
    // The requests kept for a replay: the first in a field of its own (a unary call keeps one and
    // needs no list), the rest in a list made for the second.
    private OutboundMessage firstKept;
    private List<OutboundMessage> moreKept;
    private int keptCount;
    private long sentBytes;
    private boolean endOfStreamWithLast;
    private boolean halfClosed;
    private int requested;
    private int failovers;
    private boolean transparentUsed;
    private boolean lastRetryTransparent;

    RetryingStream(
        MethodInfo method,
        Metadata headers,
        Deadline deadline,
        Compression compression,
        List<StreamTracer.Factory> tracers) {
      this.method = method;
      this.headers = headers;
      this.deadline = deadline;
      this.compression = compression;
      this.tracers = tracers;
    }

    /** The stream of a new attempt, traced if the call has tracers. */
    private ClientStream newAttemptStream(int previousAttempts, boolean transparentRetry) {
      return tracers.isEmpty()
          ? delegate.newStream(method, headers, deadline, compression)
          : TracedClientStream.open(
              delegate,
              method,
              headers,
              deadline,
              compression,
              tracers,
              previousAttempts,
              transparentRetry);
    }

    @Override
    public void start(ClientStreamListener listener) {
      Attempt attempt;
      synchronized (this) {
        this.listener = listener;
        attempt = new Attempt(newAttemptStream(0, false));
        current = attempt;
      }
      attempt.stream.start(attempt);
    }

    @Override
    public void request(int n) {
      ClientStream target;
      synchronized (this) {
        requested = saturatedAdd(requested, n);
        target = openStream();
      }
      if (target != null) {
        target.request(n);
      }
    }

    @Override
    public void writeMessage(OutboundMessage message, boolean endOfStream) {
      ClientStream target;
      synchronized (this) {
        if (retryPending || replaying) {
          // Between two attempts, or while the new one is sent the earlier requests, nothing else
          // holds the message: it stays kept, past the bound (writers are told the call is not
          // ready meanwhile), and the replay sends it after them.
          sentBytes += message.size();
          keep(message);
          endOfStreamWithLast = endOfStream;
        } else if (!committed) {
          sentBytes += message.size();
          if (sentBytes > MAX_REPLAY_BYTES) {
            commit();
          } else {
            keep(message);
            endOfStreamWithLast = endOfStream;
          }
        } else if (keptCount > 0) {
          letKeptGo(); // committed by an answer since the last write
        }
        target = openStream();
      }
      if (target != null) {
        target.writeMessage(message, endOfStream);
      }
    }

    @Override
    public void halfClose() {
      ClientStream target;
      synchronized (this) {
        halfClosed = true;
        target = openStream();
      }
      if (target != null) {
        target.halfClose();
      }
    }

    /**
     * The stream to pass a call on to, or null between two attempts (or before the first) and while
     * the replay to a new one runs.
     */
    private ClientStream openStream() {
      Attempt attempt = current;
      return retryPending || replaying || attempt == null ? null : attempt.stream;
    }

    @Override
    public void cancel(Status status) {
      ClientStream target;
      synchronized (this) {
        commit();
        if (closed) {
          return;
        }
        target = replaying ? current.stream : openStream();
        if (target == null) {
          closed = true; // no stream is open: the pending retry will find the call closed
        }
      }
      ClientStreamListener l = listener;
      if (target != null) {
        target.cancel(status);
      } else if (l != null) {
        l.onClose(status, new Metadata(), CloseOrigin.LOCAL);
      }
    }

    @Override
    public boolean isReady() {
      ClientStream stream = openStream();
      return stream != null && stream.isReady();
    }

    /** With the lock held: keeps {@code message} for a replay. */
    private void keep(OutboundMessage message) {
      if (keptCount == 0) {
        firstKept = message;
      } else {
        if (moreKept == null) {
          moreKept = new ArrayList<>();
        }
        moreKept.add(message);
      }
      keptCount++;
    }

    /** With the lock held: the {@code i}th request kept. */
    private OutboundMessage kept(int i) {
      return i == 0 ? firstKept : moreKept.get(i - 1);
    }

    /** With the lock held: the requests kept are let go. */
    private void letKeptGo() {
      firstKept = null;
      moreKept = null;
      keptCount = 0;
    }

    /** With the lock held: no retry from here on; the requests kept for one are let go. */
    private void commit() {
      committed = true;
      letKeptGo();
    }

    /** An attempt ended: retry it, or report the end. */
    private void attemptClosed(
        Attempt attempt, Status status, Metadata trailers, CloseOrigin origin) {
      if (committed) {
        // No retry is possible: pass the end on without the lock, which an application thread
        // may hold while it is descheduled (the network thread carries every call of the
        // connection and must not wait for it).
        if (attempt == current && !retryPending && !closed) {
          closed = true;
          listener.onClose(status, trailers, origin);
        }
        return;
      }
      boolean retry = false;
      synchronized (this) {
        if (attempt != current || retryPending || closed) {
          return;
        }
        if (!committed
            && retriable(status, origin, attempt.answered, failovers, transparentUsed, retries)) {
          lastRetryTransparent = origin == CloseOrigin.REFUSED && !transparentUsed;
          if (lastRetryTransparent) {
            transparentUsed = true;
          } else {
            failovers++;
          }
          retryPending = true;
          retry = true;
        } else {
          closed = true;
          letKeptGo();
        }
      }
      if (retry) {
        // Outside the lock: the executor may run the retry here and now.
        try {
          executor.execute(this::retry);
          return;
        } catch (RejectedExecutionException e) {
          synchronized (this) {
            // The client is closing: report the failure as it is, unless a cancel already has.
            retryPending = false;
            if (closed) {
              return;
            }
            closed = true;
            letKeptGo();
          }
        }
      }
      listener.onClose(status, trailers, origin);
    }

    /**
     * Opens a new stream and sends it everything the call has sent so far, then what the call sent
     * meanwhile, until it has caught up. The stream is called outside the lock: a stream may end at
     * once, inside {@code start}, and the end goes up to the call, whose thread may hold its own
     * lock while it waits for this one (in {@link #request}).
     */
    private void retry() {
      int previousAttempts;
      boolean transparent;
      synchronized (this) {
        previousAttempts = failovers + (transparentUsed ? 1 : 0);
        transparent = lastRetryTransparent;
      }
      ClientStream stream = newAttemptStream(previousAttempts, transparent);
      Attempt attempt = new Attempt(stream);
      synchronized (this) {
        if (closed) {
          return; // cancelled meanwhile
        }
        current = attempt;
        retryPending = false;
        replaying = true;
      }
      stream.start(attempt);
      int messagesSent = 0;
      int requestsSent = 0;
      boolean halfCloseSent = false;
      while (true) {
        OutboundMessage[] batch;
        boolean lastEndsStream;
        int moreRequests;
        boolean halfCloseNow;
        synchronized (this) {
          if (current != attempt || closed || keptCount < messagesSent) {
            return; // ended, or cancelled (which let the kept requests go), while replaying
          }
          if (keptCount == messagesSent
              && requested == requestsSent
              && halfCloseSent == halfClosed) {
            replaying = false; // caught up: the call's next requests go straight to the stream
            break;
          }
          batch = new OutboundMessage[keptCount - messagesSent];
          for (int i = 0; i < batch.length; i++) {
            batch[i] = kept(messagesSent + i);
          }
          lastEndsStream = endOfStreamWithLast;
          moreRequests = requested - requestsSent;
          halfCloseNow = halfClosed && !halfCloseSent && !(endOfStreamWithLast && keptCount > 0);
          messagesSent = keptCount;
          requestsSent = requested;
          halfCloseSent = halfClosed;
        }
        if (moreRequests > 0) {
          stream.request(moreRequests);
        }
        for (int i = 0; i < batch.length; i++) {
          stream.writeMessage(batch[i], lastEndsStream && i == batch.length - 1);
        }
        if (halfCloseNow) {
          stream.halfClose();
        }
      }
      if (current == attempt && !retryPending && !closed) {
        listener.onReady(); // writers that waited through the gap look again
      }
    }

    /** The listener of one attempt's stream. */
    private final class Attempt extends ForwardingClientStreamListener {
      final ClientStream stream;
      volatile boolean answered;

      Attempt(ClientStream stream) {
        this.stream = stream;
      }

      @Override
      public void onHeaders(Metadata metadata) {
        answered();
        listener.onHeaders(metadata);
      }

      @Override
      protected ClientStreamListener delegate() {
        return listener;
      }

      @Override
      public void onReady() {
        if (current == this && !retryPending) {
          listener.onReady();
        }
      }

      @Override
      public void onTrailers(Status status, Metadata trailers) {
        answered();
        listener.onTrailers(status, trailers);
      }

      @Override
      public void onClose(Status status, Metadata trailers, CloseOrigin origin) {
        attemptClosed(this, status, trailers, origin);
      }

      /**
       * The server answered: the call stays on this stream. The requests kept for a replay are let
       * go by the next write or the end, not here: the network thread takes no lock.
       */
      private void answered() {
        answered = true;
        committed = true;
      }
    }
  }

  private static int saturatedAdd(int a, int b) {
    long sum = (long) a + b;
    return sum > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) sum;
  }
}
