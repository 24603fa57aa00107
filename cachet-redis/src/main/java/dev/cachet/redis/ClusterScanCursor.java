package dev.cachet.redis;

import java.util.Objects;

/**
 * Where a scan over a cluster stands: the master being scanned, by node id, that node's own
 * {@code SCAN} cursor, and the fingerprint of the slot layout the scan started with ({@link
 * ClusterLayout}). Written {@code <nodeId>:<cursor>:<layout>}, the layout in 16 hexadecimal
 * digits, e.g. {@code 07c3...e1:1536:9f86d081884c7d65}.
 *
 * @param nodeId the cluster node id (hexadecimal)
 * @param cursor the node's {@code SCAN} cursor, {@code 0} to start that node
 * @param layout {@link ClusterLayout#fingerprint()} when the scan started
 */
record ClusterScanCursor(String nodeId, String cursor, long layout) {
  ClusterScanCursor {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(cursor, "cursor");
  }

  /**
   * Parses the form {@link #toString()} writes.
   *
   * @throws IllegalArgumentException when {@code text} is not such a cursor
   */
  static ClusterScanCursor parse(String text) {
    String[] parts = text.split(":", -1);
    if (parts.length != 3 || !isNodeId(parts[0]) || !isRedisCursor(parts[1])
        || parts[2].length() != 16 || !isHex(parts[2])) {
      throw new IllegalArgumentException("not a cursor of this store: '" + text + "'");
    }
    return new ClusterScanCursor(parts[0], parts[1], Long.parseUnsignedLong(parts[2], 16));
  }

  private static boolean isNodeId(String s) {
    return !s.isEmpty() && s.length() <= 64 && isHex(s);
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code s} is a Redis {@code SCAN} cursor: an unsigned 64-bit decimal. */
  static boolean isRedisCursor(String s) {
    if (s.isEmpty() || s.length() > 20) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    try {
      Long.parseUnsignedLong(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return nodeId + ":" + cursor + ":" + String.format("%016x", layout);
  }
}
