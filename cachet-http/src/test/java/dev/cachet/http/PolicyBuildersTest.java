package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.CachePolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyBuildersTest {

  @Test
  void routePolicyDefaultsAndMapping() {
    RoutePolicy p = RoutePolicy.builder().ttl(Duration.ofSeconds(30)).tags("space:{id}")
        .varyByHeaders("Accept", "X-Tenant", "accept").staleWhileRevalidate(Duration.ofSeconds(5))
        .staleIfError(Duration.ofMinutes(1)).jitter(0.1).distributedLock(true).build();
    assertThat(p.cacheableStatuses()).containsExactly(200);
    assertThat(p.varyByHeaders()).containsExactly("accept", "x-tenant");
    assertThat(p.varyByPrincipal()).isFalse();
    assertThat(p.sharedDespiteCredentials()).isFalse();
    CachePolicy core = p.cachePolicy(List.of("space:1", "p:/x"));
    assertThat(core.ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(core.tags()).containsExactlyInAnyOrder("space:1", "p:/x");
    assertThat(core.staleWhileRevalidate()).isEqualTo(Duration.ofSeconds(5));
    assertThat(core.staleIfError()).isEqualTo(Duration.ofMinutes(1));
    assertThat(core.jitter()).isEqualTo(0.1);
    assertThat(core.distributedLock()).isTrue();
    CachePolicy bare = RoutePolicy.ofTtl(Duration.ofSeconds(1)).cachePolicy(List.of());
    assertThat(bare.jitter()).isZero();
    assertThat(bare.staleWhileRevalidate()).isZero();
  }

  @Test
  void zeroWindowsAndJitterAreOffAsInTheCorePolicy() {
    RoutePolicy off = RoutePolicy.builder().ttl(Duration.ofSeconds(5)).jitter(0)
        .staleWhileRevalidate(Duration.ZERO).staleIfError(Duration.ZERO).build();
    assertThat(off.staleWhileRevalidate()).isZero();
    assertThat(off.jitter()).isZero();
  }

  @Test
  void routePolicyFailsFast() {
    assertThatThrownBy(() -> RoutePolicy.builder().build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RoutePolicy.builder().ttl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoutePolicy.builder().ttl(Duration.ofSeconds(1)).ttl(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RoutePolicy.builder().jitter(1.0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoutePolicy.builder().cacheableStatuses(206)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoutePolicy.builder().ttl(Duration.ofSeconds(1)).cacheableStatuses(304).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoutePolicy.builder().cacheableStatuses(199)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoutePolicy.builder().tags("a{")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoutePolicy.builder().varyByHeaders("bad header")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoutePolicy.builder().ttl(Duration.ofSeconds(1)).keyTemplate("a|{b}").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'|'");
    assertThatThrownBy(() -> RoutePolicy.builder().staleIfError(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    String[] tooMany = java.util.stream.IntStream.rangeClosed(0, RoutePolicy.MAX_DECLARED_TAGS)
        .mapToObj(i -> "t" + i).toArray(String[]::new);
    assertThatThrownBy(() -> RoutePolicy.builder().ttl(Duration.ofSeconds(1)).tags(tooMany).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
  }

  @Test
  void invalidationPolicy() {
    InvalidationPolicy p = InvalidationPolicy.builder().hierarchy(HierarchyMode.NONE)
        .tags("space:{id}").keys("item:{id}").patterns("GET:/search*").build();
    assertThat(p.hierarchy()).isEqualTo(HierarchyMode.NONE);
    assertThat(p.tags()).containsExactly(Template.of("space:{id}"));
    assertThat(InvalidationPolicy.automatic().hierarchy()).isNull();
    assertThatThrownBy(() -> InvalidationPolicy.builder().hierarchy(HierarchyMode.NONE).hierarchy(HierarchyMode.NONE))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> InvalidationPolicy.builder().patterns("x{")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void configDefaultsAndChecks() {
    HttpCacheConfig c = HttpCacheConfig.defaults();
    assertThat(c.maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(c.honourRequestNoCache()).isTrue();
    assertThat(c.honourRequestNoStore()).isTrue();
    assertThat(c.cacheName()).isEqualTo("Cachet");
    assertThat(c.hierarchyMode()).isEqualTo(HierarchyMode.RESOURCE_AND_ANCESTORS);
    assertThatThrownBy(() -> HttpCacheConfig.builder().maxBodyBytes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpCacheConfig.builder().cacheName("my cache").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpCacheConfig.builder().etags(true).etags(false)).isInstanceOf(IllegalStateException.class);
    assertThat(HttpCacheConfig.builder().cacheName("edge-1.example:8080").build().cacheName()).isEqualTo("edge-1.example:8080");
  }

  @Test
  void headersAreCaseInsensitiveOrderedAndSafe() {
    HttpHeaders h = HttpHeaders.builder().add("Content-Type", "a").add("X-A", "1").add("x-a", "2").build();
    assertThat(h.all("X-a")).containsExactly("1", "2");
    assertThat(h.first("content-type")).isEqualTo("a");
    assertThat(h.names()).containsExactly("Content-Type", "X-A");
    assertThat(h).isEqualTo(HttpHeaders.of("content-type", "a", "x-a", "1", "X-A", "2"));
    assertThat(h.toBuilder().set("x-a", "3").build().all("X-A")).containsExactly("3");
    assertThatThrownBy(() -> HttpHeaders.of("X-A", "a\r\nSet-Cookie: x=1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpHeaders.of("X A", "a")).isInstanceOf(IllegalArgumentException.class);
  }
}
