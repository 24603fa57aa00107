package dev.cachet.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Gzip of bodies with {@code java.util.zip}, without copying what the streams produced. Thread-safe. */
final class GzipBodies {
  private GzipBodies() {}

  /** A byte stream whose array is handed out as it is. */
  private static final class Output extends ByteArrayOutputStream {
    Output(int size) {
      super(size);
    }

    Body body() {
      return count == 0 ? Body.EMPTY : new Body(buf, 0, count);
    }
  }

  /** Deflates at {@code level} (-1: zlib's default); the stream owns its deflater and ends it. */
  private static final class LeveledGzip extends GZIPOutputStream {
    LeveledGzip(Output out, int level) throws IOException {
      super(out, 8192);
      def.setLevel(level);
    }
  }

  /** {@code identity} gzip-compressed at {@code level}. */
  static Body gzip(Body identity, int level) {
    // Text bodies shrink several times: a quarter of the input is room enough nearly always.
    Output out = new Output(Math.max(64, identity.length() / 4));
    try (LeveledGzip gzip = new LeveledGzip(out, level)) {
      identity.writeTo(gzip);
    } catch (IOException e) {
      throw new UncheckedIOException("gzip into memory failed", e);
    }
    return out.body();
  }

  /**
   * {@code gzipped} inflated; it must inflate to exactly {@code identityLength} bytes (what was
   * compressed when it was stored, in an entry the store's checksum or the process protected).
   */
  static Body gunzip(Body gzipped, int identityLength) {
    byte[] out = new byte[identityLength];
    try (InputStream in = new GZIPInputStream(input(gzipped), 8192)) {
      int n = in.readNBytes(out, 0, identityLength);
      if (n != identityLength || in.read() != -1) {
        throw new EOFException("inflated to another length than the " + identityLength + " stored");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a stored gzip body does not inflate", e);
    }
    return Body.of(out);
  }

  private static InputStream input(Body body) {
    byte[] sole = body.soleArray();
    return sole != null
        ? new ByteArrayInputStream(sole, body.offset(), body.length())
        : new ByteArrayInputStream(body.copy());
  }
}
