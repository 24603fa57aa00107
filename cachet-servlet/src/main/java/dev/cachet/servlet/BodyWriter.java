package dev.cachet.servlet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import org.jspecify.annotations.Nullable;

/**
 * The characters of {@link CapturingResponse#getWriter()}, encoded into the body: buffered while
 * the body is captured (the response flushes them when the handler returns), then, once the
 * response {@link #passesThrough() passes through} asynchronously, encoded into the body at every
 * write. An asynchronous handler may write and call {@code AsyncContext.complete()} without
 * flushing, and the container then completes the real response, never this writer: characters
 * still buffered here would be lost. Not thread-safe on its own: the {@code PrintWriter} around it
 * locks.
 */
final class BodyWriter extends Writer {
  private final OutputStream out;
  private final Charset charset;
  private final OutputStreamWriter buffered;
  private @Nullable CharsetEncoder immediate;
  private final ByteBuffer bytes = ByteBuffer.allocate(2048);
  private char highSurrogate; // the first half of a pair whose second half is still to come
  private boolean holdsHighSurrogate;

  /** A writer into {@code out}; {@code passingThrough} when the response already passes through. */
  BodyWriter(OutputStream out, Charset charset, boolean passingThrough) {
    this.out = out;
    this.charset = charset;
    this.buffered = new OutputStreamWriter(out, charset);
    if (passingThrough) {
      immediate = encoder(charset);
    }
  }

  /** From now on every write reaches the body at once; what was buffered goes first. */
  void passesThrough() throws IOException {
    if (immediate == null) {
      buffered.flush();
      immediate = encoder(charset);
    }
  }

  /** As OutputStreamWriter's: malformed or unmappable characters become the replacement. */
  private static CharsetEncoder encoder(Charset charset) {
    return charset.newEncoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
  }

  @Override
  public void write(char[] chars, int off, int len) throws IOException {
    if (immediate == null) {
      buffered.write(chars, off, len);
    } else {
      encode(CharBuffer.wrap(chars, off, len), immediate, false);
    }
  }

  @Override
  public void write(String s, int off, int len) throws IOException {
    if (immediate == null) {
      buffered.write(s, off, len);
    } else {
      encode(CharBuffer.wrap(s, off, off + len), immediate, false);
    }
  }

  @Override
  public void write(int c) throws IOException {
    write(new char[] {(char) c}, 0, 1);
  }

  @Override
  public void flush() throws IOException {
    if (immediate == null) {
      buffered.flush();
    } else {
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    CharsetEncoder encoder = immediate;
    if (encoder == null) {
      buffered.close();
      return;
    }
    encode(CharBuffer.allocate(0), encoder, true);
    while (encoder.flush(bytes).isOverflow()) {
      drain();
    }
    drain();
    out.close();
  }

  private void encode(CharBuffer chars, CharsetEncoder encoder, boolean end) throws IOException {
    CharBuffer in = chars;
    if (holdsHighSurrogate) {
      in = CharBuffer.allocate(chars.remaining() + 1).put(highSurrogate).put(chars).flip();
      holdsHighSurrogate = false;
    }
    while (true) {
      CoderResult result = encoder.encode(in, bytes, end);
      drain();
      if (result.isUnderflow()) {
        break;
      }
    }
    if (in.hasRemaining()) { // underflow leaves only a high surrogate waiting for its pair
      highSurrogate = in.get();
      holdsHighSurrogate = true;
    }
  }

  private void drain() throws IOException {
    if (bytes.position() > 0) {
      out.write(bytes.array(), 0, bytes.position());
      bytes.clear();
    }
  }
}
