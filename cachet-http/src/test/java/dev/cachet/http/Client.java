package dev.cachet.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Stands in for the client's side of a response in tests: what a {@link PassThrough} committed
 * (the cache headers it was asked to add) and the bytes sent after. Thread-safe enough for one
 * request.
 */
final class Client implements PassThrough {
  private volatile @Nullable HttpHeaders committedWith;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private volatile int opens;
  private volatile boolean closed;

  @Override
  public synchronized OutputStream open(HttpHeaders cacheHeaders) {
    opens++;
    committedWith = cacheHeaders;
    return new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (Client.this) {
          bytes.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (Client.this) {
          bytes.write(b, off, len);
        }
      }

      @Override
      public void close() throws IOException {
        closed = true;
      }
    };
  }

  boolean committed() {
    return opens > 0;
  }

  int opens() {
    return opens;
  }

  boolean closed() {
    return closed;
  }

  @Nullable HttpHeaders committedWith() {
    return committedWith;
  }

  synchronized byte[] received() {
    return bytes.toByteArray();
  }

  synchronized String receivedText() {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
