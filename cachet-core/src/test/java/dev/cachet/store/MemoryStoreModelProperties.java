package dev.cachet.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The memory store behaves like two plain maps (entries and versions) under any sequence of calls. */
class MemoryStoreModelProperties {
  private static final Duration TTL = Duration.ofHours(1);

  sealed interface Op permits Put, Get, Delete, SetVersion, SetVersionIfAbsent, GetVersions {}

  record Put(String key, byte[] value) implements Op {}

  record Get(String key) implements Op {}

  record Delete(String key) implements Op {}

  record SetVersion(String key, long version) implements Op {}

  record SetVersionIfAbsent(String key, long version) implements Op {}

  record GetVersions(List<String> keys) implements Op {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<String> keys = Arbitraries.of("a", "b", "c", "d", "ns:k:x", "ns:t:y");
    Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    Arbitrary<Long> versions = Arbitraries.longs().filter(v -> v != 0);
    Arbitrary<Op> op = Arbitraries.oneOf(
        Combinators.combine(keys, values).as(Put::new),
        keys.map(Get::new),
        keys.map(Delete::new),
        Combinators.combine(keys, versions).as(SetVersion::new),
        Combinators.combine(keys, versions).as(SetVersionIfAbsent::new),
        keys.list().ofMinSize(1).ofMaxSize(4).map(GetVersions::new));
    return op.list().ofMaxSize(60);
  }

  @Property(tries = 300)
  void behavesLikeAMap(@ForAll("operations") List<Op> ops) {
    Map<String, byte[]> entries = new HashMap<>();
    Map<String, Long> versions = new HashMap<>();
    try (MemoryStore store = MemoryStore.create()) {
      for (Op op : ops) {
        if (op instanceof Put p) {
          store.put(p.key(), p.value(), TTL);
          entries.put(p.key(), p.value());
        } else if (op instanceof Get g) {
          assertThat(store.get(g.key())).isEqualTo(entries.get(g.key()));
        } else if (op instanceof Delete d) {
          assertThat(store.delete(d.key())).isEqualTo(entries.remove(d.key()) != null);
        } else if (op instanceof SetVersion sv) {
          store.setVersion(sv.key(), sv.version(), TTL);
          versions.put(sv.key(), sv.version());
        } else if (op instanceof SetVersionIfAbsent sa) {
          long expected = versions.computeIfAbsent(sa.key(), k -> sa.version());
          assertThat(store.setVersionIfAbsent(sa.key(), sa.version(), TTL)).isEqualTo(expected);
        } else if (op instanceof GetVersions gv) {
          long[] expected = gv.keys().stream().mapToLong(k -> versions.getOrDefault(k, 0L)).toArray();
          assertThat(store.getVersions(gv.keys())).containsExactly(expected);
        }
      }
      assertThat(store.size()).isEqualTo(entries.size());
    }
  }
}
