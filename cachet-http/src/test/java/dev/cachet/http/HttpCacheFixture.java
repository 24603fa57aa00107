package dev.cachet.http;

import dev.cachet.Cachet;
import dev.cachet.store.CacheStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;

/** A real {@link Cachet} over a {@link MemoryStore}, timed by a clock the test advances. */
abstract class HttpCacheFixture {
  final MutableClock clock = new MutableClock();
  Cachet cachet = newCachet(MemoryStore.builder().clock(clock).build());
  HttpCache http = HttpCache.builder(cachet).clock(clock).build();

  Cachet newCachet(CacheStore store) {
    return Cachet.builder().store(store).clock(clock).build();
  }

  void reconfigure(HttpCacheConfig config) {
    http = HttpCache.builder(cachet).clock(clock).config(config).build();
  }

  @AfterEach
  void closeCache() {
    cachet.close();
  }

  static HttpRequestView get(String path) {
    return request("GET", path, null);
  }

  static HttpRequestView request(String method, String path, String query) {
    return HttpRequestView.builder(method, path).rawQuery(query).build();
  }

  static String text(HttpCacheResult r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
