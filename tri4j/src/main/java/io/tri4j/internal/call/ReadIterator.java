package io.tri4j.internal.call;

import io.tri4j.ReadStream;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** A {@link ReadStream}'s messages as an {@link Iterator}: each {@code hasNext} reads ahead one. */
final class ReadIterator<T> implements Iterator<T> {
  private final ReadStream<T> stream;
  private T next;

  ReadIterator(ReadStream<T> stream) {
    this.stream = stream;
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      next = stream.read();
    }
    return next != null;
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    T result = next;
    next = null;
    return result;
  }
}
