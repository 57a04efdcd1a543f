package io.tri4j.internal.codec;

import io.tri4j.Status;
import java.nio.ByteBuffer;

/**
 * Finds the frame that ends a gRPC-Web or Connect streaming body among its messages. Both protocols
 * send the end of a call (gRPC-Web's trailers, Connect's end-stream message) as the body's last
 * length-prefixed frame, told apart by a flag bit: this splitter hands every message frame on as it
 * came, bytes and prefix, for a {@link MessageDeframer} to cut out under demand, and keeps the end
 * frame for itself, so the end is known as soon as it arrives, as gRPC's HTTP/2 trailers are.
 *
 * <p>Not thread-safe: the transport calls it from one thread.
 */
public final class EnvelopeSplitter {

  /** Receives what the splitter finds. */
  public interface Listener {
    /** Bytes of message frames, prefixes included; not kept after the call. */
    void messageBytes(ByteBuffer bytes);

    /** The end frame's body, with its flag byte. */
    void endFrame(int flags, byte[] body);

    /** {@code count} bytes of the end frame, or bytes after it, were used and may be credited. */
    void bytesUsed(int count);

    /** The body is not a valid frame sequence; nothing more is reported. */
    void failed(Status status);
  }

  private final Listener listener;
  private final int endFlag;
  private final int maxEndFrameSize;
  private final byte[] header = new byte[MessageFramer.HEADER_LENGTH];
  private int headerRead;
  private long bodyLeft;
  private boolean inEndFrame;
  private byte[] endBody;
  private int endRead;
  private boolean done;

  /**
   * A splitter for frames flagged with {@code endFlag}, whose body may be at most {@code
   * maxEndFrameSize} bytes.
   */
  public EnvelopeSplitter(Listener listener, int endFlag, int maxEndFrameSize) {
    this.listener = listener;
    this.endFlag = endFlag;
    this.maxEndFrameSize = maxEndFrameSize;
  }

  /** Whether the end frame has arrived whole. */
  public boolean ended() {
    return done && endBody != null;
  }

  /** Takes the readable bytes of {@code data}; the buffer is not kept. */
  public void split(ByteBuffer data) {
    int runStart = data.position();
    while (data.hasRemaining() && !done) {
      if (inEndFrame) {
        readEndFrame(data);
        runStart = data.position();
      } else if (headerRead == 0 && (data.get(data.position()) & endFlag) != 0) {
        forward(data, runStart);
        inEndFrame = true;
      } else if (headerRead < header.length) {
        header[headerRead++] = data.get();
        if (headerRead == header.length) {
          bodyLeft = length();
          if (bodyLeft == 0) {
            headerRead = 0;
          }
        }
      } else {
        int n = (int) Math.min(data.remaining(), bodyLeft);
        data.position(data.position() + n);
        bodyLeft -= n;
        if (bodyLeft == 0) {
          headerRead = 0;
        }
      }
    }
    if (done) {
      // After the end frame the body has nothing more to say; what follows is dropped.
      int rest = data.remaining();
      data.position(data.limit());
      if (rest > 0) {
        listener.bytesUsed(rest);
      }
    } else {
      forward(data, runStart);
    }
  }

  /** Whether the body ended in the middle of a frame. */
  public boolean midFrame() {
    return !done && (headerRead != 0 || inEndFrame);
  }

  private void forward(ByteBuffer data, int runStart) {
    if (data.position() > runStart) {
      listener.messageBytes(data.duplicate().position(runStart).limit(data.position()));
    }
  }

  private void readEndFrame(ByteBuffer data) {
    int before = data.remaining();
    if (endBody == null) {
      int n = Math.min(data.remaining(), header.length - headerRead);
      data.get(header, headerRead, n);
      headerRead += n;
      if (headerRead == header.length) {
        long length = length();
        if (length > maxEndFrameSize) {
          done = true;
          listener.bytesUsed(before - data.remaining());
          listener.failed(
              Status.RESOURCE_EXHAUSTED.withDescription(
                  "The end of the response is "
                      + length
                      + " bytes, more than the limit of "
                      + maxEndFrameSize
                      + " bytes"));
          return;
        }
        endBody = new byte[(int) length];
      }
    }
    if (endBody != null) {
      int n = Math.min(data.remaining(), endBody.length - endRead);
      data.get(endBody, endRead, n);
      endRead += n;
    }
    listener.bytesUsed(before - data.remaining());
    if (endBody != null && endRead == endBody.length) {
      done = true;
      listener.endFrame(header[0] & 0xff, endBody);
    }
  }

  private long length() {
    return ((header[1] & 0xffL) << 24)
        | ((header[2] & 0xff) << 16)
        | ((header[3] & 0xff) << 8)
        | (header[4] & 0xff);
  }
}
