package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.InvalidateCache;
import dev.cachet.spring.RunningApp;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Over a real port: a declared key invalidation reaches a {@code @CacheResponse(key = ...)}
 * response whatever origin stored it, from a controller and from any bean; and a write answered
 * with a redirect (Post/Redirect/Get) invalidates as a {@code 2xx} does (RFC 9111, section 4.4).
 */
class KeyedAndRedirectedWritesTest {
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Items items() {
      return new Items();
    }

    @Bean
    ItemService itemService() {
      return new ItemService();
    }
  }

  @RestController
  static class Items {
    private final AtomicInteger handled = new AtomicInteger();

    @GetMapping("/items/{id}")
    @CacheResponse(ttl = "1m", key = "item:{id}")
    String item(@PathVariable String id) {
      return "item " + id + " #" + handled.incrementAndGet();
    }

    @PostMapping("/admin/items/{id}")
    @InvalidateCache(keys = "item:{id}")
    String rename(@PathVariable String id) {
      return "renamed";
    }

    @GetMapping("/notes")
    @CacheResponse(ttl = "1m")
    String notes() {
      return "notes #" + handled.incrementAndGet();
    }

    @PostMapping("/notes")
    ResponseEntity<Void> addNote() {
      return ResponseEntity.status(303).location(URI.create("/notes")).build();
    }

    @PostMapping("/notes/legacy")
    void addNoteTheOldWay(HttpServletResponse response) throws IOException {
      response.sendRedirect("/notes");
    }
  }

  static class ItemService {
    @InvalidateCache(keys = "item:{id}")
    void changed(String id) {}
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  private HttpResponse<String> item(String id, String host) throws Exception {
    return app.get("/items/" + id, "X-Forwarded-Host", host);
  }

  private void assertCachedUnderEachHost(String id, List<String> hosts) throws Exception {
    for (String host : hosts) {
      item(id, host);
      assertThat(item(id, host).headers().firstValue("X-Cache")).as(host).hasValue("HIT");
    }
  }

  private void assertReloadedUnderEachHost(String id, List<String> hosts) throws Exception {
    for (String host : hosts) {
      assertThat(item(id, host).headers().firstValue("X-Cache")).as(host).hasValue("MISS");
    }
  }

  @Test
  void aControllersKeyInvalidationReachesTheKeysResponsesUnderEveryOrigin() throws Exception {
    List<String> hosts = List.of("a.example", "b.example");
    assertCachedUnderEachHost("1", hosts);
    assertCachedUnderEachHost("2", hosts);
    HttpResponse<String> write = app.send("POST", "/admin/items/1", "X-Forwarded-Host", "admin.example");
    assertThat(write.statusCode()).isEqualTo(200);
    assertReloadedUnderEachHost("1", hosts);
    assertThat(item("2", "a.example").headers().firstValue("X-Cache")).as("another key").hasValue("HIT");
  }

  @Test
  void aBeanMethodsKeyInvalidationReachesThemToo() throws Exception {
    List<String> hosts = List.of("a.example", "c.example");
    assertCachedUnderEachHost("3", hosts);
    app.context().getBean(ItemService.class).changed("3");
    assertReloadedUnderEachHost("3", hosts);
  }

  @Test
  void aWriteAnsweredWithARedirectInvalidates() throws Exception {
    for (String write : new String[] {"/notes", "/notes/legacy"}) {
      app.get("/notes");
      HttpResponse<String> before = app.get("/notes");
      assertThat(before.headers().firstValue("X-Cache")).hasValue("HIT");
      HttpResponse<String> redirected = app.send("POST", write);
      assertThat(redirected.statusCode()).as(write).isIn(302, 303);
      HttpResponse<String> after = app.get("/notes");
      assertThat(after.headers().firstValue("X-Cache")).as("after " + write).hasValue("MISS");
      assertThat(after.body()).isNotEqualTo(before.body());
    }
  }
}
