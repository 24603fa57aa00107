package dev.cachet.redis;

import java.util.Objects;

/**
 * Where a scan over a cluster stands: the master being scanned, by node id, and that node's own
 * {@code SCAN} cursor. Written {@code <nodeId>:<cursor>}, e.g. {@code 07c3...e1:1536}.
 *
 * @param nodeId the cluster node id (hexadecimal)
 * @param cursor the node's {@code SCAN} cursor, {@code 0} to start that node
 */
record ClusterScanCursor(String nodeId, String cursor) {
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
    int colon = text.indexOf(':');
    if (colon <= 0 || !isNodeId(text.substring(0, colon))
        || !isRedisCursor(text.substring(colon + 1))) {
      throw new IllegalArgumentException("not a cursor of this store: '" + text + "'");
    }
    return new ClusterScanCursor(text.substring(0, colon), text.substring(colon + 1));
  }

  private static boolean isNodeId(String s) {
    if (s.isEmpty() || s.length() > 64) {
      return false;
    }
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
    return nodeId + ":" + cursor;
  }
}
