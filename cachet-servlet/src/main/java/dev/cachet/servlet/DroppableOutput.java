package dev.cachet.servlet;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The stream under a captured response's writer: bytes go on to the body, except while
 * {@link #dropWhile} runs, when they are dropped (what a {@code resetBuffer} must forget and a
 * flush must not send). Not thread-safe: one response's handler uses it.
 */
final class DroppableOutput extends OutputStream {
  private final OutputStream out;
  private boolean dropping;

  DroppableOutput(OutputStream out) {
    this.out = out;
  }

  /** Runs {@code action}, dropping every byte written meanwhile. */
  void dropWhile(Runnable action) {
    dropping = true;
    try {
      action.run();
    } finally {
      dropping = false;
    }
  }

  @Override
  public void write(int b) throws IOException {
    if (!dropping) {
      out.write(b);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (!dropping) {
      out.write(b, off, len);
    }
  }

  @Override
  public void flush() throws IOException {
    if (!dropping) {
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
