package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.store.EntryAndVersions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code getWithVersions} against real servers: one and two Memcached servers. */
class MemcachedGetWithVersionsIT {
  private static final Duration TTL = Duration.ofMinutes(5);
  @RegisterExtension static final TwoMemcached servers = new TwoMemcached();
  private String p;

  @BeforeEach
  void prefix() {
    p = "w" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  private static MemcachedStore oneServer() {
    return MemcachedStore.builder().servers(servers.first.address()).build();
  }

  private static MemcachedStore twoServers() {
    return MemcachedStore.builder().servers(servers.addresses()).build();
  }

  @Test
  void answersWhatGetAndGetVersionsAnswerOnOneServer() {
    try (MemcachedStore store = oneServer(); MemcachedStore other = oneServer()) {
      sameAsGetAndGetVersions(store, other);
    }
  }

  @Test
  void answersWhatGetAndGetVersionsAnswerOnTwoServers() {
    try (MemcachedStore store = twoServers(); MemcachedStore other = twoServers()) {
      sameAsGetAndGetVersions(store, other);
    }
  }

  private void sameAsGetAndGetVersions(MemcachedStore store, MemcachedStore other) {
    List<String> keys = new ArrayList<>(List.of(p + "n", p + "t:a", p + "s:a", p + "t:b"));
    for (int i = 0; i < 20; i++) { // versions of many keys: on two servers they spread over both
      keys.add(p + "t:x" + i);
    }
    store.put(p + "k:e", bytes("entry"), TTL);
    store.setVersion(p + "n", 7, TTL);
    store.setVersion(p + "t:a", -3, TTL);
    store.put(p + "s:a", bytes("not a version"), TTL);
    store.setVersion(p + "t:x5", 55, TTL);

    EntryAndVersions read = store.getWithVersions(p + "k:e", keys);
    assertThat(read.entry()).isEqualTo(bytes("entry")).isEqualTo(store.get(p + "k:e"));
    assertThat(read.versions()).containsExactly(store.getVersions(keys));
    assertThat(read.versions()[0]).isEqualTo(7);
    assertThat(read.versions()[1]).isEqualTo(-3);
    assertThat(read.versions()[2]).isZero();
    assertThat(read.versions()[9]).isEqualTo(55);
    assertThat(store.getWithVersions(p + "k:absent", keys).entry()).isNull();
    EntryAndVersions untagged = store.getWithVersions(p + "k:e", List.of());
    assertThat(untagged.entry()).isEqualTo(bytes("entry"));

    // Changes made through another handle are seen by the next read.
    other.setVersion(p + "t:a", 9, TTL);
    other.put(p + "k:e", bytes("changed"), TTL);
    read = store.getWithVersions(p + "k:e", keys);
    assertThat(read.entry()).isEqualTo(bytes("changed"));
    assertThat(read.versions()[1]).isEqualTo(9);
    other.delete(p + "k:e");
    assertThat(store.getWithVersions(p + "k:e", keys).entry()).isNull();
  }

  @Test
  void tagInvalidationThroughTheCombinedReadReachesTheOtherInstance() {
    String ns = p.substring(0, p.length() - 1);
    try (Cachet one = Cachet.builder().store(twoServers()).namespace(ns).build();
        Cachet two = Cachet.builder().store(twoServers()).namespace(ns).build()) {
      CachePolicy tagged = CachePolicy.builder().ttl(TTL).tags("users", "orgs", "billing").build();
      AtomicInteger loads = new AtomicInteger();
      assertThat(one.get("u:1", Codecs.utf8(), tagged, () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
      assertThat(two.get("u:1", Codecs.utf8(), tagged, () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
      long getsBefore = servers.first.stat("cmd_get") + servers.second.stat("cmd_get");
      assertThat(two.get("u:1", Codecs.utf8(), tagged, () -> "never")).isEqualTo("v1");
      // A hit asks for the entry and its 7 versions (namespace, hard and soft per tag), once each.
      assertThat(servers.first.stat("cmd_get") + servers.second.stat("cmd_get") - getsBefore).isEqualTo(8);
      one.invalidateTags("billing");
      assertThat(two.get("u:1", Codecs.utf8(), tagged, () -> "v" + loads.incrementAndGet())).isEqualTo("v2");
      assertThat(one.get("u:1", Codecs.utf8(), tagged, () -> "v" + loads.incrementAndGet())).isEqualTo("v2");
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
