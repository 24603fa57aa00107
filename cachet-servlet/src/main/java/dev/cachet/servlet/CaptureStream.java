package dev.cachet.servlet;

import dev.cachet.http.BodyCapture;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;

/** The servlet stream of a {@link CapturingResponse}: writes go to its {@link BodyCapture}. */
final class CaptureStream extends ServletOutputStream {
  private final BodyCapture body;

  CaptureStream(BodyCapture body) {
    this.body = body;
  }

  @Override
  public void write(int b) throws IOException {
    body.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    body.write(b, off, len);
  }

  /**
   * A flush (as message converters do) is not a request to stream: a buffered body stays
   * buffered. Once the body passes through, the client is flushed.
   */
  @Override
  public void flush() throws IOException {
    if (body.passedThrough()) {
      body.flush();
    }
  }

  @Override
  public void close() throws IOException {
    if (body.passedThrough()) {
      body.close();
    }
  }

  @Override
  public boolean isReady() {
    return true;
  }

  @Override
  public void setWriteListener(WriteListener listener) {
    throw new UnsupportedOperationException("non-blocking writes are not supported on cached routes");
  }
}
