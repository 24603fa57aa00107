package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.store.StoreCapability;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hierarchical and declared invalidation through tags, on a real Cachet over a MemoryStore. */
class InvalidationTest extends HttpCacheFixture {
  private final RoutePolicy route = RoutePolicy.ofTtl(Duration.ofMinutes(5));
  private final TestOrigin origin = new TestOrigin();

  private static final List<String> READS = List.of(
      "/spaces", "/spaces?page=2", "/spaces/123", "/spaces/123?fields=name",
      "/spaces/123/items", "/spaces/123/items?page=1&size=10", "/spaces/123/items/456",
      "/spaces/123/items/456?v=2", "/spaces/123/items/456/comments", "/spaces/123/items/789",
      "/spaces/999", "/spaces/999/items", "/other", "/");

  private static HttpRequestView read(String pathAndQuery) {
    String[] parts = pathAndQuery.split("\\?", 2);
    return request("GET", parts[0], parts.length > 1 ? parts[1] : null);
  }

  /** Stores every read, and returns a view that tells which are still cached. */
  private Map<String, Boolean> cacheAll() throws Exception {
    for (String r : READS) {
      assertThat(http.handleRead(read(r), route, origin).xCache()).isIn(XCache.MISS, XCache.HIT);
    }
    Map<String, Boolean> cached = cached();
    assertThat(cached).doesNotContainValue(false);
    return cached;
  }

  private Map<String, Boolean> cached() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (String r : READS) {
      out.put(r, cachet.exists(http.keyOf(read(r), route)));
    }
    return out;
  }

  private HttpCacheResult write(String method, String path, InvalidationPolicy policy) throws Exception {
    return http.handleWrite(request(method, path, null), policy, origin);
  }

  private static Set<String> gone(Map<String, Boolean> cached) {
    Set<String> out = new java.util.LinkedHashSet<>();
    cached.forEach((k, v) -> {
      if (!v) {
        out.add(k);
      }
    });
    return out;
  }

  @Test
  void aWriteInvalidatesTheResourceItsSubtreeAndExactAncestorsButNotSiblings() throws Exception {
    cacheAll();
    HttpCacheResult r = write("PATCH", "/spaces/123/items/456", InvalidationPolicy.automatic());
    assertThat(r.xCache()).isEqualTo(XCache.BYPASS);
    assertThat(r.cacheStatus()).isEqualTo("Cachet; fwd=method; fwd-status=200");
    assertThat(gone(cached())).containsExactlyInAnyOrder(
        "/spaces", "/spaces?page=2", "/spaces/123", "/spaces/123?fields=name",
        "/spaces/123/items", "/spaces/123/items?page=1&size=10", "/spaces/123/items/456",
        "/spaces/123/items/456?v=2", "/spaces/123/items/456/comments");
  }

  @Test
  void everyUnsafeMethodInvalidates() throws Exception {
    for (String method : List.of("POST", "PUT", "DELETE", "patch")) {
      cacheAll();
      write(method, "/spaces/999", InvalidationPolicy.automatic());
      assertThat(gone(cached())).as(method).containsExactlyInAnyOrder("/spaces", "/spaces?page=2", "/spaces/999", "/spaces/999/items");
    }
  }

  @Test
  void aPostToACollectionInvalidatesItAndItsMembers() throws Exception {
    cacheAll();
    write("POST", "/spaces/123/items", InvalidationPolicy.automatic());
    assertThat(gone(cached())).containsExactlyInAnyOrder(
        "/spaces", "/spaces?page=2", "/spaces/123", "/spaces/123?fields=name",
        "/spaces/123/items", "/spaces/123/items?page=1&size=10", "/spaces/123/items/456",
        "/spaces/123/items/456?v=2", "/spaces/123/items/456/comments", "/spaces/123/items/789");
  }

  @Test
  void parentCollectionModeTakesTheSiblingsToo() throws Exception {
    cacheAll();
    write("PUT", "/spaces/123/items/456", InvalidationPolicy.builder().hierarchy(HierarchyMode.PARENT_COLLECTION).build());
    assertThat(gone(cached())).contains("/spaces/123/items/789").doesNotContain("/spaces/999", "/other", "/");
  }

  @Test
  void wholeCollectionModeInvalidatesTheTopLevelCollection() throws Exception {
    reconfigure(HttpCacheConfig.builder().hierarchyMode(HierarchyMode.WHOLE_COLLECTION).build());
    cacheAll();
    write("DELETE", "/spaces/123/items/456", InvalidationPolicy.automatic());
    assertThat(gone(cached())).containsExactlyInAnyOrderElementsOf(
        READS.stream().filter(r -> r.startsWith("/spaces")).toList());
  }

  @Test
  void noneModeInvalidatesOnlyWhatIsDeclared() throws Exception {
    cacheAll();
    write("DELETE", "/spaces/123", InvalidationPolicy.builder().hierarchy(HierarchyMode.NONE).build());
    assertThat(gone(cached())).isEmpty();
  }

  @Test
  void aFailedWriteInvalidatesNothing() throws Exception {
    cacheAll();
    origin.status = 500;
    write("DELETE", "/spaces/123", InvalidationPolicy.automatic());
    origin.status = 404;
    write("DELETE", "/spaces/123", InvalidationPolicy.automatic());
    origin.status = 400;
    write("POST", "/spaces", InvalidationPolicy.automatic());
    origin.failure = new IllegalStateException("handler failed");
    try {
      write("DELETE", "/spaces", InvalidationPolicy.automatic());
    } catch (IllegalStateException expected) {
      // rethrown as it is
    }
    assertThat(gone(cached())).isEmpty();
  }

  @Test
  void safeMethodsThroughHandleWriteInvalidateNothing() throws Exception {
    cacheAll();
    write("GET", "/spaces/123", InvalidationPolicy.automatic());
    write("OPTIONS", "/spaces/123", InvalidationPolicy.automatic());
    assertThat(gone(cached())).isEmpty();
  }

  @Test
  void aWriteAnsweredWithARedirectInvalidatesAsA2xxDoes() throws Exception {
    // Post/Redirect/Get: RFC 9111 section 4.4 invalidates on any non-error status.
    for (int status : new int[] {302, 303}) {
      cacheAll();
      origin.status = status;
      write("POST", "/spaces/123/items", InvalidationPolicy.automatic());
      assertThat(gone(cached())).as("after a %d", status).containsExactlyInAnyOrder(
          "/spaces", "/spaces?page=2", "/spaces/123", "/spaces/123?fields=name",
          "/spaces/123/items", "/spaces/123/items?page=1&size=10", "/spaces/123/items/456",
          "/spaces/123/items/456?v=2", "/spaces/123/items/456/comments", "/spaces/123/items/789");
      origin.status = 200;
    }
  }

  @Test
  void aDeclaredKeyReachesTheTemplatedResponsesOfEveryOriginVariantAndCaller() throws Exception {
    RoutePolicy item = RoutePolicy.builder().ttl(Duration.ofMinutes(5)).keyTemplate("item:{itemId}")
        .varyByHeaders("Accept").build();
    List<HttpRequestView> reads = new java.util.ArrayList<>();
    for (String host : List.of("api.example.com", "other.example")) {
      for (String accept : List.of("application/json", "text/csv")) {
        reads.add(HttpRequestView.builder("GET", "/items/5").header("Host", host)
            .header("Accept", accept).pathVariables(Map.of("itemId", "5")).build());
      }
    }
    HttpRequestView six = HttpRequestView.builder("GET", "/items/6").header("Host", "api.example.com")
        .pathVariables(Map.of("itemId", "6")).build();
    for (HttpRequestView r : reads) {
      http.handleRead(r, item, origin);
      assertThat(cachet.exists(http.keyOf(r, item))).isTrue();
    }
    http.handleRead(six, item, origin);
    assertThat(reads.stream().map(r -> http.keyOf(r, item)).distinct()).hasSize(4);

    // A write through a third origin, with none of those Accept values.
    HttpRequestView post = HttpRequestView.builder("POST", "/admin/items/5").header("Host", "10.0.0.7:8080")
        .pathVariables(Map.of("itemId", "5")).build();
    http.handleWrite(post, InvalidationPolicy.builder().hierarchy(HierarchyMode.NONE).keys("item:{itemId}").build(), origin);

    for (HttpRequestView r : reads) {
      assertThat(http.handleRead(r, item, origin).xCache()).as(http.keyOf(r, item)).isEqualTo(XCache.MISS);
    }
    assertThat(http.handleRead(six, item, origin).xCache()).as("another key stays").isEqualTo(XCache.HIT);
  }

  @Test
  void aKeyTagInvalidatedFromCodeReachesTheTemplatedResponses() throws Exception {
    RoutePolicy item = RoutePolicy.builder().ttl(Duration.ofMinutes(5)).keyTemplate("item:{itemId}").build();
    HttpRequestView read = HttpRequestView.builder("GET", "/items/5").header("Host", "api.example.com")
        .pathVariables(Map.of("itemId", "5")).build();
    http.handleRead(read, item, origin);
    assertThat(http.handleRead(read, item, origin).xCache()).isEqualTo(XCache.HIT);
    cachet.invalidateTags(List.of(Invalidator.keyTag("item:5")));
    assertThat(http.handleRead(read, item, origin).xCache()).isEqualTo(XCache.MISS);
  }

  @Test
  void declaredTagsKeysAndPatternsAreRenderedFromTheWrite() throws Exception {
    RoutePolicy dashboard = RoutePolicy.builder().ttl(Duration.ofMinutes(5)).tags("space:{spaceId}").build();
    RoutePolicy item = RoutePolicy.builder().ttl(Duration.ofMinutes(5)).keyTemplate("item:{itemId}").build();
    HttpRequestView dash7 = HttpRequestView.builder("GET", "/dashboard").rawQuery("spaceId=7").build();
    HttpRequestView dash8 = HttpRequestView.builder("GET", "/dashboard").rawQuery("spaceId=8").build();
    HttpRequestView item5 = HttpRequestView.builder("GET", "/anything/5").pathVariables(Map.of("itemId", "5")).build();
    HttpRequestView search = request("GET", "/search", "q=a");
    http.handleRead(dash7, dashboard, origin);
    http.handleRead(dash8, dashboard, origin);
    http.handleRead(item5, item, origin);
    http.handleRead(search, route, origin);

    InvalidationPolicy policy = InvalidationPolicy.builder().hierarchy(HierarchyMode.NONE)
        .tags("space:{spaceId}").keys("item:{itemId}").patterns("GET:/search*").build();
    HttpRequestView post = HttpRequestView.builder("POST", "/spaces/7/items")
        .pathVariables(Map.of("spaceId", "7", "itemId", "5")).build();
    InvalidationPlan plan = http.invalidator().plan(post, 201, policy);
    assertThat(plan.tags()).containsExactly("space:7", Invalidator.keyTag("item:5"));
    assertThat(plan.keys()).containsExactly("item:5");
    assertThat(plan.patterns()).containsExactly("GET:/search*");
    http.handleWrite(post, policy, origin);

    assertThat(cachet.exists(http.keyOf(dash7, dashboard))).isFalse();
    assertThat(cachet.exists(http.keyOf(dash8, dashboard))).isTrue();
    assertThat(cachet.exists("item:5")).isFalse();
    assertThat(cachet.exists("GET:/search?q=a")).isFalse();
  }

  @Test
  void aMissingVariableClearsTheNamespaceAndKeepsTheResponse() throws Exception {
    cacheAll();
    assertThat(gone(cached())).isEmpty();
    InvalidationPolicy policy = InvalidationPolicy.builder().tags("space:{spaceId}").build();
    HttpCacheResult r = write("DELETE", "/spaces/999", policy);
    assertThat(r.status()).isEqualTo(200);
    assertThat(gone(cached())).as("what space:{spaceId} would name is unknown: everything goes")
        .containsExactlyInAnyOrderElementsOf(READS);
    cacheAll();
    origin.status = 500;
    write("DELETE", "/spaces/999", policy);
    assertThat(gone(cached())).as("a failed write still invalidates nothing").isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> http.invalidator().plan(request("DELETE", "/spaces/999", null), 204, policy))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'spaceId'");
  }

  @Test
  void plansAreEmptyForFailuresAndSafeMethods() {
    Invalidator inv = http.invalidator();
    assertThat(inv.plan(request("DELETE", "/a/b", null), 500, InvalidationPolicy.automatic()).isEmpty()).isTrue();
    assertThat(inv.plan(request("GET", "/a/b", null), 200, InvalidationPolicy.automatic()).isEmpty()).isTrue();
    assertThat(inv.plan(request("DELETE", "/a/b", null), 204, InvalidationPolicy.automatic()).tags())
        .containsExactly("t:/a/b", "p:/a");
  }

  @Test
  void aMalformedQueryDoesNotStopTheWriteFromInvalidatingItsPath() throws Exception {
    cacheAll();
    HttpCacheResult r = http.handleWrite(
        request("PUT", "/spaces/123/items/456", "x=%zz"), InvalidationPolicy.automatic(), origin);
    assertThat(r.status()).isEqualTo(200);
    assertThat(gone(cached())).containsExactlyInAnyOrder(
        "/spaces", "/spaces?page=2", "/spaces/123", "/spaces/123?fields=name",
        "/spaces/123/items", "/spaces/123/items?page=1&size=10", "/spaces/123/items/456",
        "/spaces/123/items/456?v=2", "/spaces/123/items/456/comments");
    // Declared templates render from the path variables alone when the query is malformed.
    InvalidationPolicy declared = InvalidationPolicy.builder().tags("item:{id}").build();
    HttpRequestView withVars = HttpRequestView.builder("PUT", "/spaces/1/items/2").rawQuery("%zz")
        .pathVariables(Map.of("id", "2")).build();
    assertThat(http.invalidator().plan(withVars, 200, declared).tags())
        .containsExactly("t:/spaces/1/items/2", "p:/spaces/1/items", "p:/spaces/1", "p:/spaces", "item:2");
    cacheAll();
    origin.status = 500;
    http.handleWrite(request("PUT", "/spaces/123/items/456", "x=%zz"), InvalidationPolicy.automatic(), origin);
    assertThat(gone(cached())).as("a failed write still invalidates nothing").isEmpty();
  }

  @Test
  void aPathWithNoCanonicalFormInvalidatesTheSubtreeOfItsRegularPrefix() throws Exception {
    cacheAll();
    assertThat(write("PUT", "/spaces/123/%zz", InvalidationPolicy.automatic()).status()).isEqualTo(200);
    assertThat(gone(cached())).containsExactlyInAnyOrder(
        "/spaces", "/spaces?page=2", "/spaces/123", "/spaces/123?fields=name",
        "/spaces/123/items", "/spaces/123/items?page=1&size=10", "/spaces/123/items/456",
        "/spaces/123/items/456?v=2", "/spaces/123/items/456/comments", "/spaces/123/items/789");
    Invalidator inv = http.invalidator();
    assertThat(inv.plan(request("DELETE", "/a/../..", null), 204, InvalidationPolicy.automatic()).tags())
        .containsExactly("t:/a");
    assertThat(inv.plan(request("DELETE", "/%2e%2e/b", null), 204, InvalidationPolicy.automatic()).tags())
        .as("nothing below the root is known: only the root's own entry").containsExactly("p:/");
  }

  @Test
  void aPatternTheStoreCannotFollowClearsTheNamespaceRatherThanLeaveItStale() throws Exception {
    cachet.close();
    cachet = newCachet(new ForwardingStore(MemoryStore.builder().clock(clock).build()) {
      @Override
      public Set<StoreCapability> capabilities() {
        return EnumSet.noneOf(StoreCapability.class); // like Memcached
      }
    });
    http = HttpCache.builder(cachet).clock(clock).build();
    cacheAll();
    InvalidationPlan plan = new InvalidationPlan(Set.of("t:/spaces/999"), Set.of(), Set.of("GET:/other*"));
    assertThat(http.invalidator().apply(plan)).as("not as declared").isFalse();
    assertThat(gone(cached())).as("what GET:/other* names cannot be found: everything goes")
        .containsExactlyInAnyOrderElementsOf(READS);
    // Through a write, the same never fails the request.
    cacheAll();
    InvalidationPolicy policy = InvalidationPolicy.builder().patterns("GET:/other*").build();
    assertThat(write("DELETE", "/spaces/123/items/456", policy).status()).isEqualTo(200);
    assertThat(cached().get("/other")).isFalse();
  }

  @Test
  void aWriteWithAnEncodedPathInvalidatesTheSameEntriesAsItsCanonicalForm() throws Exception {
    cacheAll();
    write("PUT", "/sp%61ces/123/items/%34%356/", InvalidationPolicy.automatic());
    assertThat(gone(cached())).contains("/spaces/123/items/456", "/spaces/123").doesNotContain("/spaces/123/items/789");
  }

  @Test
  void aWriteWithSemicolonParametersInvalidatesTheResourceWithoutThem() throws Exception {
    cacheAll();
    write("PUT", "/spaces;v=2/123/items/456;x=1", InvalidationPolicy.automatic());
    assertThat(gone(cached())).containsExactlyInAnyOrder(
        "/spaces", "/spaces?page=2", "/spaces/123", "/spaces/123?fields=name",
        "/spaces/123/items", "/spaces/123/items?page=1&size=10", "/spaces/123/items/456",
        "/spaces/123/items/456?v=2", "/spaces/123/items/456/comments");
  }

  @Test
  void aWriteThroughDotOrEmptySegmentsInvalidatesEveryReadingOfItsPath() throws Exception {
    // Spring addresses /spaces/999/../123/items as /spaces/{id}/** with id 999; a server that
    // resolves dot segments addresses /spaces/123/items: both are invalidated.
    cacheAll();
    write("PUT", "/spaces/999/../123/items", InvalidationPolicy.automatic());
    assertThat(gone(cached())).containsExactlyInAnyOrder(
        "/spaces", "/spaces?page=2", "/spaces/123", "/spaces/123?fields=name",
        "/spaces/123/items", "/spaces/123/items?page=1&size=10", "/spaces/123/items/456",
        "/spaces/123/items/456?v=2", "/spaces/123/items/456/comments", "/spaces/123/items/789",
        "/spaces/999", "/spaces/999/items");
    cacheAll();
    write("PUT", "/spaces//999", InvalidationPolicy.automatic());
    assertThat(gone(cached())).as("everything under the last plain segment").contains("/spaces/123/items/456", "/spaces/999")
        .doesNotContain("/other", "/");
    assertThat(http.invalidator().plan(request("PUT", "/spaces/%2e%2e/x", null), 200, InvalidationPolicy.automatic()).tags())
        .as("escaped dots resolved too").containsExactly("t:/x", "t:/spaces");
  }
}
