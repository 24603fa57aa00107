package dev.cachet.redis;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The key prefixes a near cache asks Redis to broadcast invalidations for: a key's prefix is its
 * text up to and including its first {@code :} (a Cachet namespace), so no prefix is a prefix of
 * another (which the server refuses). Learned from the keys read, at most {@value #MAX} of them,
 * since the server matches every write against each one.
 *
 * <p>Thread-safe: reads are a volatile read; {@link #add} is called under the near cache's lock.
 */
final class BroadcastPrefixes {
  static final int MAX = 32;
  private static final Logger LOG = System.getLogger("dev.cachet");

  private final AtomicBoolean warned = new AtomicBoolean();
  private volatile String[] prefixes = new String[0];

  /** Whether {@code key} lies under a prefix already broadcast. */
  boolean covers(String key) {
    for (String prefix : prefixes) {
      if (key.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The prefix of {@code key} if it is new and may be added (it is then added), else
   * {@code null}: the key has no prefix, its prefix is broadcast already ({@link #covers} tells
   * which), or the bound is reached (warned once).
   */
  @Nullable String add(String key) {
    int colon = key.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String prefix = key.substring(0, colon + 1);
    String[] known = prefixes;
    for (String p : known) {
      if (p.equals(prefix)) {
        return null;
      }
    }
    if (known.length >= MAX) {
      if (warned.compareAndSet(false, true)) {
        LOG.log(Level.WARNING, "Cachet near cache: more than " + MAX
            + " key prefixes (namespaces) read from one store; keys under '" + prefix
            + "' and later ones are read from Redis every time");
      }
      return null;
    }
    String[] now = Arrays.copyOf(known, known.length + 1);
    now[known.length] = prefix;
    prefixes = now;
    return prefix;
  }

  /** The prefixes broadcast, in the order learned, for {@code CLIENT TRACKING}. */
  String[] all() {
    return prefixes;
  }
}
