package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.CacheResult.Status;
import dev.cachet.store.MemoryStore;
import dev.cachet.testing.ManualExecutor;
import dev.cachet.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InvalidationTest {
  private final MutableClock clock = new MutableClock();
  private final MemoryStore store = MemoryStore.builder().clock(clock).build();
  private final ManualExecutor refreshes = new ManualExecutor();
  private final Cachet cachet =
      Cachet.builder().store(store).clock(clock).refreshExecutor(refreshes).namespace("app").build();
  private final CachePolicy ttl = CachePolicy.ofTtl(Duration.ofMinutes(10));

  @AfterEach
  void close() {
    cachet.close();
  }

  private CachePolicy tagged(String... tags) {
    return CachePolicy.builder().ttl(Duration.ofMinutes(10)).tags(tags).build();
  }

  @Test
  void invalidatingATagDropsEveryEntryCarryingItAndNoOther() {
    cachet.put("u1", "a", Codecs.utf8(), tagged("users", "list"));
    cachet.put("u2", "b", Codecs.utf8(), tagged("users"));
    cachet.put("i1", "c", Codecs.utf8(), tagged("items", "list"));
    cachet.invalidateTags("users");
    assertThat(cachet.exists("u1")).isFalse();
    assertThat(cachet.exists("u2")).isFalse();
    assertThat(cachet.exists("i1")).isTrue();
    cachet.invalidateTags(List.of("list"));
    assertThat(cachet.exists("i1")).isFalse();
    assertThat(cachet.stats().invalidations()).isEqualTo(2);
  }

  @Test
  void entriesWrittenAfterAnInvalidationAreFresh() {
    cachet.invalidateTags("users");
    cachet.put("u1", "a", Codecs.utf8(), tagged("users"));
    assertThat(cachet.getIfPresent("u1", Codecs.utf8())).isEqualTo("a");
  }

  @Test
  void softInvalidationServesStaleInsideTheWindowCountedFromTheInvalidation() {
    CachePolicy policy = CachePolicy.builder().ttl(Duration.ofMinutes(10)).tags("users")
        .staleWhileRevalidate(Duration.ofSeconds(30)).build();
    cachet.put("u1", "old", Codecs.utf8(), policy);
    clock.advance(Duration.ofMinutes(1));
    cachet.softInvalidateTags(List.of("users"));
    CacheResult<String> stale = cachet.fetch("u1", Codecs.utf8(), policy, () -> Loaded.of("new"));
    assertThat(stale.status()).isEqualTo(Status.STALE);
    assertThat(stale.value()).isEqualTo("old");
    assertThat(stale.remainingFreshness(clock.instant())).as("stale since the purge").isEqualTo(Duration.ZERO);
    assertThat(cachet.getIfPresent("u1", Codecs.utf8())).as("never fresh after a soft purge").isNull();
    refreshes.runAll();
    assertThat(cachet.getIfPresent("u1", Codecs.utf8())).isEqualTo("new");
  }

  @Test
  void softInvalidationWindowEndsThirtySecondsAfterThePurge() {
    CachePolicy policy = CachePolicy.builder().ttl(Duration.ofMinutes(10)).tags("users")
        .staleWhileRevalidate(Duration.ofSeconds(30)).build();
    cachet.put("u1", "old", Codecs.utf8(), policy);
    cachet.softInvalidateTags(List.of("users"));
    clock.advance(Duration.ofSeconds(31));
    assertThat(cachet.fetch("u1", Codecs.utf8(), policy, () -> Loaded.of("new")).status()).isEqualTo(Status.MISS);
  }

  @Test
  void softInvalidationWithoutAStaleWindowIsAMiss() {
    cachet.put("u1", "old", Codecs.utf8(), tagged("users"));
    cachet.softInvalidateTags(List.of("users"));
    assertThat(cachet.peek("u1", Codecs.utf8())).isNull();
  }

  @Test
  void clearInvalidatesTheNamespaceOnly() {
    try (Cachet other = Cachet.builder().store(store).clock(clock).namespace("other").build()) {
      cachet.put("k", "a", Codecs.utf8(), ttl);
      other.put("k", "b", Codecs.utf8(), ttl);
      cachet.clear();
      assertThat(cachet.exists("k")).isFalse();
      assertThat(other.getIfPresent("k", Codecs.utf8())).isEqualTo("b");
      cachet.put("k", "c", Codecs.utf8(), ttl);
      assertThat(cachet.getIfPresent("k", Codecs.utf8())).isEqualTo("c");
    }
  }

  @Test
  void deleteRemovesOneKey() {
    cachet.put("a", "1", Codecs.utf8(), ttl);
    cachet.put("b", "2", Codecs.utf8(), ttl);
    assertThat(cachet.delete("a")).isTrue();
    assertThat(cachet.delete("a")).isFalse();
    assertThat(cachet.exists("a")).isFalse();
    assertThat(cachet.exists("b")).isTrue();
  }

  @Test
  void deleteByPatternMatchesCallerKeysIncludingHashedOnes() {
    String longUser = "user:" + "x".repeat(300);
    String oddUser = "user:名前";
    cachet.put("user:1", "1", Codecs.utf8(), ttl);
    cachet.put(longUser, "2", Codecs.utf8(), ttl);
    cachet.put(oddUser, "3", Codecs.utf8(), ttl);
    cachet.put("user", "4", Codecs.utf8(), ttl);
    cachet.put("item:" + "x".repeat(300), "5", Codecs.utf8(), ttl);
    assertThat(cachet.deleteByPattern("user:*")).isEqualTo(3);
    assertThat(cachet.exists("user:1")).isFalse();
    assertThat(cachet.exists(longUser)).isFalse();
    assertThat(cachet.exists(oddUser)).isFalse();
    assertThat(cachet.exists("user")).isTrue();
    assertThat(cachet.exists("item:" + "x".repeat(300))).isTrue();
  }

  @Test
  void patternsMatchTheWholeHashedKeyNotItsVisiblePrefix() {
    String longKey = "user:" + "x".repeat(300) + ":end";
    cachet.put(longKey, "1", Codecs.utf8(), ttl);
    assertThat(cachet.deleteByPattern("user:*:nope")).isZero();
    assertThat(cachet.deleteByPattern("*:end")).isEqualTo(1);
  }

  @Test
  void patternsNeverReachOutsideTheNamespace() {
    try (Cachet other = Cachet.builder().store(store).clock(clock).namespace("other").build()) {
      other.put("k", "b", Codecs.utf8(), ttl);
      cachet.put("k", "a", Codecs.utf8(), ttl);
      assertThat(cachet.deleteByPattern("*")).isEqualTo(1);
      assertThat(cachet.deleteByPattern("../other:k:*")).isZero();
      assertThat(other.exists("k")).isTrue();
    }
  }

  @Test
  void prefixInvalidationTakesThePrefixLiterally() {
    cachet.put("a*b:1", "1", Codecs.utf8(), ttl);
    cachet.put("axb:1", "2", Codecs.utf8(), ttl);
    assertThat(cachet.invalidatePrefix("a*b:")).isEqualTo(1);
    assertThat(cachet.exists("axb:1")).isTrue();
  }

  @Test
  void malformedPatternsAreRejected() {
    assertThatThrownBy(() -> cachet.deleteByPattern("user:[abc"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[");
  }

  @Test
  void nullAndEmptyArgumentsFailAtTheBoundary() {
    assertThatThrownBy(() -> cachet.invalidateTags((String) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cachet.invalidateTags("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cachet.delete(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> cachet.get(null, Codecs.utf8(), ttl, () -> "x")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cachet.put("k", null, Codecs.utf8(), ttl)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void emptyAndHugeKeysAreAccepted() {
    String huge = "k".repeat(100_000);
    cachet.put("", "empty", Codecs.utf8(), ttl);
    cachet.put(huge, "huge", Codecs.utf8(), ttl);
    assertThat(cachet.getIfPresent("", Codecs.utf8())).isEqualTo("empty");
    assertThat(cachet.getIfPresent(huge, Codecs.utf8())).isEqualTo("huge");
  }
}
