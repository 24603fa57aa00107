package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.KeyInfo;
import dev.cachet.KeyPage;
import dev.cachet.store.ForwardingStore;
import dev.cachet.store.IncompleteScanException;
import dev.cachet.store.ScanPage;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A scan over a Redis Cluster that spans a reshard: a slot moved, as {@code redis-cli --cluster
 * reshard} moves each, from the master the scan visits last to the one it visited first. Its keys
 * are present throughout, yet no master holds them when the scan visits it. The scan must not
 * end as if complete: pattern deletes would leave matching entries valid, and key listings would
 * skip them (docs/guarantees.md).
 */
class ScanDuringReshardIT {
  static final Duration TTL = Duration.ofMinutes(5);
  static final CachePolicy POLICY = CachePolicy.ofTtl(TTL);

  @RegisterExtension static final SharedRedisCluster redis = new SharedRedisCluster();

  static RedisStore store() {
    return RedisStore.builder().cluster(redis.cluster.uris()).nearCache(false)
        .connectTimeout(Duration.ofSeconds(5)).commandTimeout(Duration.ofSeconds(2))
        .clientResources(redis.resources).build();
  }

  /** The keys, among {@code keys}, whose slot the master at {@code index} (node-id order) serves. */
  static List<String> onMaster(int index, List<String> keys) {
    RedisServerProcess master = redis.cluster.mastersByNodeId().get(index);
    RedisServerProcess asked = redis.cluster.any();
    return keys.stream()
        .filter(k -> redis.cluster.masterOf(SlotHash.getSlot(k), asked) == master).toList();
  }

  /** Moves the slot of {@code key} from the master scanned last to the one scanned first. */
  static void moveToFirstMaster(String key, boolean finish) {
    List<RedisServerProcess> masters = redis.cluster.mastersByNodeId();
    int slot = SlotHash.getSlot(key);
    if (finish) {
      redis.cluster.moveSlot(slot, masters.get(2), masters.get(0));
    } else {
      redis.cluster.beginSlotMove(slot, masters.get(2), masters.get(0));
    }
  }

  /** Puts {@code n} keys {@code prefix + i}; returns them. */
  static List<String> write(RedisStore store, String prefix, int n) {
    List<String> written = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      store.put(prefix + i, new byte[] {1}, TTL);
      written.add(prefix + i);
    }
    return written;
  }

  @Test
  void aScanSpanningASlotMovedToAMasterAlreadyScannedEndsIncomplete() {
    try (RedisStore store = store()) {
      List<String> written = write(store, "moved:", 300);
      // The first page covers the first master whole (about 100 keys, COUNT 10,000).
      ScanPage first = store.scan("moved:*", null, 10_000);
      Set<String> found = new HashSet<>(first.keys());
      String moved = onMaster(2, written).get(0);
      moveToFirstMaster(moved, true);

      String cursor = first.nextCursor();
      ScanPage second = store.scan("moved:*", cursor, 10_000);
      found.addAll(second.keys());
      String last = second.nextCursor();
      assertThat(last).as("the third master's cursor").isNotNull();
      assertThatThrownBy(() -> store.scan("moved:*", last, 10_000))
          .isInstanceOf(IncompleteScanException.class)
          .hasMessageContaining("slot layout changed");
      assertThat(found).as("what the first two masters held").doesNotContain(moved);

      assertThat(scanAll(store, "moved:*")).as("a new scan, after the reshard")
          .containsExactlyInAnyOrderElementsOf(written);
      assertThat(store.circuitState()).isEqualTo(dev.cachet.store.CircuitBreakerStore.State.CLOSED);
    }
  }

  @Test
  void aScanEndingWhileASlotIsMigratingEndsIncomplete() {
    try (RedisStore store = store()) {
      List<String> written = write(store, "migrating:", 300);
      ScanPage first = store.scan("migrating:*", null, 10_000);
      String moved = onMaster(2, written).get(0);
      // Importing, migrating and MIGRATE done; SETSLOT NODE not yet: the owner is unchanged.
      moveToFirstMaster(moved, false);
      List<RedisServerProcess> masters = redis.cluster.mastersByNodeId();
      try {
        ScanPage second = store.scan("migrating:*", first.nextCursor(), 10_000);
        assertThatThrownBy(() -> store.scan("migrating:*", second.nextCursor(), 10_000))
            .isInstanceOf(IncompleteScanException.class)
            .hasMessageContaining("slot migrating");
      } finally {
        redis.cluster.endSlotMove(SlotHash.getSlot(moved), masters.get(0));
      }
      assertThat(scanAll(store, "migrating:*")).containsExactlyInAnyOrderElementsOf(written);
    }
  }

  @Test
  void aPatternDeleteSpanningAReshardLeavesNoMatchingEntryValid() {
    try (RedisStore redisStore = store();
        Cachet cachet = Cachet.builder().store(reshardingOnFirstScan(redisStore, "pd:k:user:"))
            .namespace("pd").build()) {
      for (int i = 0; i < 150; i++) {
        cachet.get("user:" + i, Codecs.utf8(), POLICY, () -> "old");
      }
      cachet.get("order:1", Codecs.utf8(), POLICY, () -> "order");
      cachet.deleteByPattern("user:*");
      for (int i = 0; i < 150; i++) {
        assertThat(cachet.get("user:" + i, Codecs.utf8(), POLICY, () -> "new"))
            .as("user:" + i).isEqualTo("new");
      }
      // The namespace was invalidated instead: entries outside the pattern reload too.
      assertThat(cachet.get("order:1", Codecs.utf8(), POLICY, () -> "reloaded")).isEqualTo("reloaded");
      assertThat(cachet.stats().storeErrors()).isZero();
    }
  }

  @Test
  void aKeyListingSpanningAReshardListsEveryEntry() {
    try (RedisStore redisStore = store();
        Cachet cachet = Cachet.builder().store(reshardingOnFirstScan(redisStore, "kl:k:item:"))
            .namespace("kl").build()) {
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < 150; i++) {
        cachet.put("item:" + i, "v", Codecs.utf8(), POLICY);
        expected.add("item:" + i);
      }
      Set<String> listed = new HashSet<>();
      String cursor = null;
      do {
        KeyPage page = cachet.keys("item:*", cursor, 1000);
        page.keys().stream().map(KeyInfo::key).forEach(listed::add);
        cursor = page.nextCursor();
      } while (cursor != null);
      assertThat(listed).isEqualTo(expected);
    }
  }

  /**
   * {@code store}, whose first scan moves, once its first page is read, the slot of a key under
   * {@code prefix} from the master scanned last to the one scanned first: a reshard during the
   * scan, timed by the scan rather than by a clock.
   */
  static ForwardingStore reshardingOnFirstScan(RedisStore store, String prefix) {
    AtomicBoolean moved = new AtomicBoolean();
    return new ForwardingStore(store) {
      @Override
      public ScanPage scan(String pattern, @Nullable String cursor, int count) {
        ScanPage page = super.scan(pattern, cursor, count);
        if (cursor == null && moved.compareAndSet(false, true)) {
          moveToFirstMaster(onMaster(2, allKeys(prefix)).get(0), true);
        }
        return page;
      }
    };
  }

  /** The keys under {@code prefix} on every master. */
  static List<String> allKeys(String prefix) {
    List<String> keys = new ArrayList<>();
    for (RedisServerProcess master : redis.cluster.mastersByNodeId()) {
      keys.addAll(master.keys(prefix + "*"));
    }
    return keys;
  }

  static Set<String> scanAll(RedisStore store, String pattern) {
    Set<String> found = new HashSet<>();
    String cursor = null;
    do {
      ScanPage page = store.scan(pattern, cursor, 10_000);
      found.addAll(page.keys());
      cursor = page.nextCursor();
    } while (cursor != null);
    return found;
  }
}
