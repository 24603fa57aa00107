package dev.cachet.memcached;

import net.rubyeye.xmemcached.transcoders.CachedData;
import net.rubyeye.xmemcached.transcoders.CompressionMode;
import net.rubyeye.xmemcached.transcoders.Transcoder;

/**
 * Passes {@code byte[]} values through unchanged with flags {@code 0}: no Java serialization and
 * no compression, whatever the client's defaults are. Values written by other clients come back
 * as their raw bytes. Stateless and thread-safe; the setters of the interface are ignored.
 */
final class RawBytesTranscoder implements Transcoder<byte[]> {
  static final RawBytesTranscoder INSTANCE = new RawBytesTranscoder();

  private RawBytesTranscoder() {}

  @Override
  public CachedData encode(byte[] value) {
    return new CachedData(0, value);
  }

  @Override
  public byte[] decode(CachedData data) {
    return data.getData();
  }

  @Override
  public void setPrimitiveAsString(boolean primitiveAsString) {}

  @Override
  public void setPackZeros(boolean packZeros) {}

  @Override
  public void setCompressionThreshold(int threshold) {}

  @Override
  public boolean isPrimitiveAsString() {
    return false;
  }

  @Override
  public boolean isPackZeros() {
    return false;
  }

  @Override
  public void setCompressionMode(CompressionMode mode) {}
}
