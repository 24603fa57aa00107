package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.MemoryStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A cache tells its namespace, and two namespaces over one store do not see each other. */
class NamespaceTest {
  static final CachePolicy POLICY = CachePolicy.ofTtl(Duration.ofMinutes(1));

  @Test
  void aCacheTellsTheNamespaceItWasBuiltWith() {
    try (Cachet shop = Cachet.builder().namespace("shop").build(); Cachet plain = Cachet.builder().build()) {
      assertThat(shop.namespace()).isEqualTo("shop");
      assertThat(plain.namespace()).isEqualTo("cachet");
    }
    assertThat(Cachet.noop().namespace()).isEmpty();
  }

  @Test
  void namespacesOverOneStoreAreApart() {
    MemoryStore store = MemoryStore.create();
    try (Cachet a = Cachet.builder().store(store).namespace("a").build();
        Cachet b = Cachet.builder().store(store).namespace("b").build()) {
      a.put("k", "from a", Codecs.utf8(), POLICY);
      assertThat(b.get("k", Codecs.utf8(), POLICY, () -> "loaded by b")).isEqualTo("loaded by b");
      a.clear();
      assertThat(b.get("k", Codecs.utf8(), POLICY, () -> "again")).isEqualTo("loaded by b");
      assertThat(a.get("k", Codecs.utf8(), POLICY, () -> "reloaded")).isEqualTo("reloaded");
    }
  }
}
