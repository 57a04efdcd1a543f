package io.tri4j;

import java.time.Duration;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The messages a peer sends, read in order with blocking calls: the responses on the client, the
 * requests in a streaming server handler.
 *
 * <h2>Reading</h2>
 *
 * <ul>
 *   <li>{@link #read()} waits for the next message and returns it, or returns {@code null} once the
 *       peer has finished and every message has been read.
 *   <li>{@link #read(Duration)} waits at most the given time and says which of three things
 *       happened: a message, a timeout, or the end of the stream (see {@link ReadResult}).
 *   <li>A {@code ReadStream} is {@link Iterable}: {@code for (Reply r : stream)} reads until the
 *       end. Each call of {@link #iterator()} reads on from where the stream is; the stream can be
 *       read through once.
 * </ul>
 *
 * <h2>Stopping early</h2>
 *
 * Leaving a {@code for} loop early (a {@code break}, a {@code return}, an exception) leaves the
 * call open: the peer goes on sending until the stream is closed. Read in a try-with-resources
 * block, so that {@link #close()} ends the call however the loop ends:
 *
 * <pre>{@code
 * try (ResponseStream<Reply> replies = stub.serverStream(request)) {
 *   for (Reply reply : replies) {
 *     if (reply.getLast()) {
 *       break; // close() cancels the rest of the call
 *     }
 *   }
 * }
 * }</pre>
 *
 * <h2>Errors</h2>
 *
 * If the call ends with a status other than {@code OK}, the messages that arrived before it are
 * still read first, and then every read, and the iterator's {@code hasNext}, throws a {@link
 * StatusException} with that status. A stream never ends silently on an error.
 *
 * <h2>Memory</h2>
 *
 * Messages are fetched from the connection as they are read: only a few messages are buffered ahead
 * of the reader, and HTTP/2 flow control holds the peer back while the reader is slow.
 *
 * <h2>Threads</h2>
 *
 * Meant for one reading thread at a time. {@link #close()} may be called from any thread and wakes
 * a blocked reader.
 */
public interface ReadStream<T> extends Iterable<T>, AutoCloseable {

  /**
   * Waits for the next message.
   *
   * @return the next message, or {@code null} at the end of the stream
   * @throws StatusException if the call failed, was cancelled, or the thread was interrupted
   */
  T read();

  /**
   * Waits at most {@code timeout} for the next message.
   *
   * @return a message, {@link ReadResult#timeout()} if none arrived in time, or {@link
   *     ReadResult#endOfStream()} at the end of the stream
   * @throws StatusException if the call failed, was cancelled, or the thread was interrupted
   */
  ReadResult<T> read(Duration timeout);

  /** Reads on from where the stream is until its end; {@code hasNext} blocks. */
  @Override
  Iterator<T> iterator();

  /** The remaining messages as a sequential, lazy {@link Stream}. */
  default Stream<T> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  /**
   * Stops reading. On the client, a call that has not ended is cancelled ({@code CANCELLED} is sent
   * to the server); a call that has ended is left as it is. On the server it discards the requests
   * not yet read. Idempotent.
   */
  @Override
  void close();
}
