package dev.cachet.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A test seam of {@link NearCache}: holds back the invalidation pushes of chosen keys until they
 * are released, so a test can make a push arrive late deterministically (in production nothing
 * is ever held: the check is one volatile read per pushed key). Thread-safe.
 */
final class PushHold {
  private volatile @Nullable Predicate<String> keys;
  private final List<String> held = new ArrayList<>();

  /** Holds the invalidations of keys matching {@code matching} from now on. */
  void hold(Predicate<String> matching) {
    keys = matching;
  }

  /** Whether the invalidation of {@code key} is held back (then it is kept for release). */
  boolean holds(String key) {
    if (keys == null) {
      return false;
    }
    synchronized (held) {
      Predicate<String> k = keys;
      if (k == null || !k.test(key)) {
        return false;
      }
      held.add(key);
      return true;
    }
  }

  /** Stops holding and hands every held key to {@code apply}, in arrival order. */
  void release(Consumer<String> apply) {
    List<String> late;
    synchronized (held) {
      keys = null;
      late = new ArrayList<>(held);
      held.clear();
    }
    late.forEach(apply);
  }

  /** The keys held back now. */
  List<String> held() {
    synchronized (held) {
      return List.copyOf(held);
    }
  }
}
