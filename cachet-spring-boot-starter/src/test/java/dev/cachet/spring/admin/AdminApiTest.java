package dev.cachet.spring.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.store.CacheStore;
import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import tools.jackson.databind.JsonNode;

/** The admin API over real HTTP, with a bearer token. */
@ExtendWith(OutputCaptureExtension.class)
class AdminApiTest {
  private static final CachePolicy TAGGED =
      CachePolicy.builder().ttl(Duration.ofMinutes(10)).staleWhileRevalidate(Duration.ofMinutes(5))
          .tags("space:1", "spaces").build();
  private static final CachePolicy PLAIN = CachePolicy.ofTtl(Duration.ofMinutes(10));

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  private static AdminHttp http;
  private static Cachet cachet;
  private static Cachet other;
  private static MemoryStore store;

  @BeforeAll
  static void start() {
    http = AdminHttp.start(App.class, "cachet.namespace=app", "cachet.admin.enabled=true",
        "cachet.admin.token=" + AdminHttp.TOKEN);
    cachet = http.bean(Cachet.class);
    store = (MemoryStore) http.bean(CacheStore.class);
    // Another application's cache in the same store: nothing the admin API does may touch it.
    other = Cachet.builder().store(new ForwardingStore(store) {
      @Override
      public void close() {}
    }).namespace("other").build();
  }

  @AfterAll
  static void stop() {
    other.close();
    http.close();
  }

  @BeforeEach
  void empty() {
    store.invalidateAll();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static AdminHttp.Reply get(String path) {
    return http.get(path, AdminHttp.TOKEN);
  }

  private static AdminHttp.Reply send(String method, String path) {
    return http.send(method, path, AdminHttp.TOKEN, null, null);
  }

  private static void put(Cachet c, String key, CachePolicy policy) {
    c.put(key, "value of " + key, Codecs.utf8(), policy);
  }

  private static List<String> keys(JsonNode page) {
    List<String> keys = new ArrayList<>();
    page.get("keys").forEach(k -> keys.add(k.get("key").asString()));
    return keys;
  }

  @Test
  void everyEndpointNeedsTheToken() {
    put(cachet, "user:1", PLAIN);
    String[][] calls = {
      {"GET", "/cachet/keys"}, {"DELETE", "/cachet/keys?key=user:1"}, {"POST", "/cachet/clear"},
      {"POST", "/cachet/clear?pattern=*"}, {"POST", "/cachet/invalidate?tag=x"}, {"GET", "/cachet/stats"},
      {"GET", "/cachet/health"}
    };
    for (String[] call : calls) {
      AdminHttp.Reply none = http.send(call[0], call[1], null, null, null);
      assertThat(none.status()).as("%s %s", call[0], call[1]).isEqualTo(401);
      assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"cachet\"");
      assertThat(none.json().get("message").asString()).contains("Authorization: Bearer");

      AdminHttp.Reply basic = http.sendWithHeader(call[0], call[1], "Basic YWRtaW46YWRtaW4=", null, null, Map.of());
      assertThat(basic.status()).isEqualTo(401);
    }
    // Nothing was done by the refused calls.
    assertThat(cachet.exists("user:1")).isTrue();
  }

  @Test
  void aWrongTokenOfTheSameLengthIsRefusedAsInvalid() {
    put(cachet, "user:1", PLAIN);
    char[] wrong = AdminHttp.TOKEN.toCharArray();
    wrong[wrong.length - 1] = wrong[wrong.length - 1] == 'x' ? 'y' : 'x';
    for (String token : List.of(new String(wrong), AdminHttp.TOKEN.substring(1), AdminHttp.TOKEN + "0", "short")) {
      AdminHttp.Reply reply = http.send("POST", "/cachet/clear", token, null, null);
      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.header("WWW-Authenticate")).contains("Bearer").contains("error=\"invalid_token\"");
      assertThat(reply.json().get("status").asInt()).isEqualTo(401);
    }
    assertThat(cachet.exists("user:1")).isTrue();
    // The scheme is case-insensitive, as RFC 7235 says.
    assertThat(http.sendWithHeader("GET", "/cachet/stats", "bearer " + AdminHttp.TOKEN, null, null, Map.of()).status())
        .isEqualTo(200);
  }

  @Test
  void listsKeysWithTheirStateTtlSizeAndTags() {
    put(cachet, "space:1", TAGGED);
    put(cachet, "user:1", PLAIN);
    AdminHttp.Reply reply = get("/cachet/keys?pattern=space:*");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    JsonNode page = reply.json();
    assertThat(page.get("pattern").asString()).isEqualTo("space:*");
    assertThat(keys(page)).containsExactly("space:1");
    JsonNode key = page.get("keys").get(0);
    assertThat(key.get("state").asString()).isEqualTo("fresh");
    assertThat(key.get("ttlMillis").asLong()).isBetween(Duration.ofMinutes(10).toMillis(), Duration.ofMinutes(16).toMillis());
    assertThat(key.get("sizeBytes").asInt()).isGreaterThan("value of space:1".length());
    assertThat(key.get("tags").toString()).contains("space:1").contains("spaces");
    assertThat(key.get("storedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(key.get("ageMillis").asLong()).isBetween(0L, 60_000L);
    assertThat(key.get("contentType").asString()).isNotEmpty();
    assertThat(page.get("nextCursor").isNull()).isTrue();

    assertThat(keys(get("/cachet/keys").json())).containsExactlyInAnyOrder("space:1", "user:1");
  }

  @Test
  void pagesFollowTheCursorToTheEnd() {
    List<String> expected = new ArrayList<>();
    // More than one store scan page (the core scans 200 store keys at a time).
    for (int i = 0; i < 450; i++) {
      put(cachet, "item:" + i, PLAIN);
      expected.add("item:" + i);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = get("/cachet/keys?pattern=item:*&limit=100" + (cursor == null ? "" : "&cursor=" + enc(cursor))).json();
      seen.addAll(keys(page));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
      pages++;
    } while (cursor != null && pages < 20);
    assertThat(pages).isGreaterThan(1);
    assertThat(seen).hasSize(450).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void deletesOneKeyEvenWithSlashesAndQueryCharacters() {
    String key = "GET:/spaces/1/items?page=2&size=20";
    put(cachet, key, PLAIN);
    put(cachet, "GET:/spaces/1/items", PLAIN);
    AdminHttp.Reply reply = send("DELETE", "/cachet/keys?key=" + enc(key));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("key").asString()).isEqualTo(key);
    assertThat(reply.json().get("deleted").asBoolean()).isTrue();
    assertThat(cachet.exists(key)).isFalse();
    assertThat(cachet.exists("GET:/spaces/1/items")).isTrue();
    assertThat(send("DELETE", "/cachet/keys?key=" + enc(key)).json().get("deleted").asBoolean()).isFalse();
  }

  @Test
  void clearsByPatternOnlyInsideItsNamespace() {
    put(cachet, "user:1", PLAIN);
    put(cachet, "user:2", PLAIN);
    put(cachet, "space:1", PLAIN);
    put(other, "user:1", PLAIN);
    put(other, "app:k:user:3", PLAIN);

    AdminHttp.Reply reply = send("POST", "/cachet/clear?pattern=" + enc("user:*"));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("deleted").asLong()).isEqualTo(2);
    assertThat(cachet.exists("user:1")).isFalse();
    assertThat(cachet.exists("space:1")).isTrue();
    assertThat(other.exists("user:1")).isTrue();

    // Patterns that name the store layout still only see this namespace's own keys.
    for (String pattern : List.of("*", "other:*", "*:k:*", "other:k:user:1")) {
      send("POST", "/cachet/clear?pattern=" + enc(pattern));
    }
    assertThat(cachet.exists("space:1")).isFalse();
    assertThat(other.exists("user:1")).isTrue();
    assertThat(other.exists("app:k:user:3")).isTrue();
    assertThat(keys(get("/cachet/keys?pattern=*").json())).isEmpty();
  }

  @Test
  void clearsTheWholeNamespaceButNoOther() {
    put(cachet, "user:1", PLAIN);
    put(other, "user:1", PLAIN);
    AdminHttp.Reply reply = send("POST", "/cachet/clear");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("cleared").asBoolean()).isTrue();
    assertThat(cachet.exists("user:1")).isFalse();
    assertThat(other.exists("user:1")).isTrue();
    assertThat(get("/cachet/keys").json().get("keys").get(0).get("state").asString()).isEqualTo("invalid");
  }

  @Test
  void invalidatesTagsHardOrSoft() {
    put(cachet, "space:1", TAGGED);
    put(cachet, "user:1", PLAIN);
    put(other, "space:1", TAGGED);

    AdminHttp.Reply soft = http.send("POST", "/cachet/invalidate", AdminHttp.TOKEN, "application/json",
        "{\"tags\":[\"space:1\"],\"soft\":true}");
    assertThat(soft.status()).isEqualTo(200);
    assertThat(soft.json().get("soft").asBoolean()).isTrue();
    assertThat(get("/cachet/keys?pattern=space:1").json().get("keys").get(0).get("state").asString()).isEqualTo("stale");

    AdminHttp.Reply hard = send("POST", "/cachet/invalidate?tag=space:1&tag=unused");
    assertThat(hard.status()).isEqualTo(200);
    assertThat(hard.json().get("tags").toString()).isEqualTo("[\"space:1\",\"unused\"]");
    assertThat(hard.json().get("soft").asBoolean()).isFalse();
    assertThat(get("/cachet/keys?pattern=space:1").json().get("keys").get(0).get("state").asString()).isEqualTo("invalid");
    assertThat(cachet.exists("user:1")).isTrue();
    assertThat(other.exists("space:1")).isTrue();

    // A form post works too.
    put(cachet, "space:1", TAGGED);
    assertThat(http.send("POST", "/cachet/invalidate", AdminHttp.TOKEN, "application/x-www-form-urlencoded",
        "tags=spaces").status()).isEqualTo(200);
    assertThat(cachet.exists("space:1")).isFalse();
  }

  @Test
  void badInputIs400WithAMessageNever500() {
    put(cachet, "user:1", PLAIN);
    Map<String, String> bad = new java.util.LinkedHashMap<>();
    bad.put("GET /cachet/keys?pattern=" + enc("user:[1"), "unclosed '['");
    bad.put("GET /cachet/keys?limit=0", "limit");
    bad.put("GET /cachet/keys?limit=1001", "limit");
    bad.put("GET /cachet/keys?limit=ten", "limit");
    bad.put("POST /cachet/clear?pattern=" + enc("[abc"), "unclosed '['");
    bad.put("POST /cachet/clear?pattern=", "pattern must not be empty");
    bad.put("POST /cachet/clear?patern=" + enc("user:*"), "unknown parameter 'patern'");
    bad.put("DELETE /cachet/keys", "key");
    bad.put("POST /cachet/invalidate", "no tags");
    bad.put("POST /cachet/invalidate?tag=a&soft=maybe", "soft must be true or false");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      String[] call = e.getKey().split(" ");
      AdminHttp.Reply reply = send(call[0], call[1]);
      assertThat(reply.status()).as(e.getKey()).isEqualTo(400);
      assertThat(reply.json().get("message").asString()).as(e.getKey()).contains(e.getValue());
    }
    AdminHttp.Reply json = http.send("POST", "/cachet/invalidate", AdminHttp.TOKEN, "application/json", "{tags:");
    assertThat(json.status()).isEqualTo(400);
    // A pattern sent as JSON is not taken for "clear everything".
    AdminHttp.Reply jsonClear = http.send("POST", "/cachet/clear", AdminHttp.TOKEN, "application/json",
        "{\"pattern\":\"price:*\"}");
    assertThat(jsonClear.status()).isEqualTo(400);
    assertThat(jsonClear.json().get("message").asString()).contains("takes no body");
    assertThat(cachet.exists("user:1")).isTrue();
    assertThat(json.json().get("message").asString()).contains("not JSON");
    AdminHttp.Reply numbers = http.send("POST", "/cachet/invalidate", AdminHttp.TOKEN, "application/json", "{\"tags\":[1]}");
    assertThat(numbers.status()).isEqualTo(400);
    assertThat(cachet.exists("user:1")).isTrue();
  }

  @Test
  void malformedPercentEncodingIsAClear400WithoutAnErrorLogged(CapturedOutput output) {
    put(cachet, "user:1", PLAIN);
    for (String call : List.of("GET /cachet/keys?pattern=%ff", "POST /cachet/clear?pattern=%ff", "DELETE /cachet/keys?key=%c3%28", "POST /cachet/invalidate?tag=%ff",
        "GET /cachet/stats?x=%ff")) {
      String[] parts = call.split(" ");
      AdminHttp.Reply reply = send(parts[0], parts[1]);
      assertThat(reply.status()).as(call).isEqualTo(400);
      assertThat(reply.header("Content-Type")).as(call).startsWith("application/json");
      assertThat(reply.header("Cache-Control")).as(call).isEqualTo("no-store");
      assertThat(reply.json().get("message").asString()).as(call).contains("percent-encode");
    }
    AdminHttp.Reply form = http.send("POST", "/cachet/invalidate", AdminHttp.TOKEN, "application/x-www-form-urlencoded",
        "tag=%ff");
    assertThat(form.status()).isEqualTo(400);
    assertThat(form.json().get("message").asString()).contains("UTF-8");
    assertThat(cachet.exists("user:1")).isTrue();
    assertThat(output).doesNotContain("ERROR").doesNotContain("InvalidParameterException");
    // Well-formed escapes are fine.
    assertThat(get("/cachet/keys?pattern=user%3A%2A").json().get("keys").size()).isEqualTo(1);
  }

  @Test
  void ambiguousOrUnknownParametersAndFieldsAre400NotIgnored() {
    put(cachet, "user:1", PLAIN);
    Map<String, String> bad = new java.util.LinkedHashMap<>();
    bad.put("GET /cachet/keys?pattern=a&pattern=b", "'pattern' is given 2 times");
    bad.put("GET /cachet/keys?limit=5&limit=abc", "'limit' is given 2 times");
    bad.put("GET /cachet/keys?cursor=a&cursor=b", "'cursor' is given 2 times");
    bad.put("GET /cachet/keys?key=user:1", "unknown parameter 'key'");
    bad.put("GET /cachet/keys?patern=user:*", "unknown parameter 'patern'");
    bad.put("DELETE /cachet/keys?key=user:1&key=user:2", "'key' is given 2 times");
    bad.put("DELETE /cachet/keys?key=user:1&pattern=*", "unknown parameter 'pattern'");
    bad.put("POST /cachet/clear?pattern=a&pattern=b", "'pattern' is given 2 times");
    bad.put("POST /cachet/invalidate?tag=user&sfot=true", "unknown parameter 'sfot'");
    bad.put("POST /cachet/invalidate?tag=user&soft=true&soft=false", "'soft' is given 2 times");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      String[] call = e.getKey().split(" ");
      AdminHttp.Reply reply = send(call[0], call[1]);
      assertThat(reply.status()).as(e.getKey()).isEqualTo(400);
      assertThat(reply.json().get("message").asString()).as(e.getKey()).contains(e.getValue());
    }
    assertThat(send("GET", "/cachet/keys?key=user:1").json().get("message").asString()).contains("as the pattern");
    Map<String, String> badJson = new java.util.LinkedHashMap<>();
    badJson.put("{\"tags\":[\"user\"],\"sfot\":true}", "unknown field 'sfot'");
    badJson.put("{\"tag\":\"user\"}", "unknown field 'tag'");
    badJson.put("[\"user\"]", "must be a JSON object");
    for (Map.Entry<String, String> e : badJson.entrySet()) {
      AdminHttp.Reply reply = http.send("POST", "/cachet/invalidate", AdminHttp.TOKEN, "application/json", e.getKey());
      assertThat(reply.status()).as(e.getKey()).isEqualTo(400);
      assertThat(reply.json().get("message").asString()).as(e.getKey()).contains(e.getValue());
    }
    assertThat(cachet.exists("user:1")).isTrue();
    // Repeated tags are the way to give several.
    assertThat(send("POST", "/cachet/invalidate?tag=a&tag=b&tags=c").json().get("tagCount").asInt()).isEqualTo(3);
  }

  @Test
  void tagsAreCappedInCountAndLengthAndHugeInputIsNotEchoed() {
    put(cachet, "space:1", TAGGED);
    String huge = "x".repeat(200_000);
    AdminHttp.Reply longTag = http.send("POST", "/cachet/invalidate", AdminHttp.TOKEN, "application/json",
        "{\"tags\":[\"space:1\",\"" + huge + "\"]}");
    assertThat(longTag.status()).isEqualTo(400);
    assertThat(longTag.json().get("message").asString()).contains("tag 2 is 200000 characters long, at most 8192");
    assertThat(longTag.body().length()).isLessThan(1_000);
    StringBuilder many = new StringBuilder("{\"tags\":[");
    for (int i = 0; i <= 1_000; i++) {
      many.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
    }
    AdminHttp.Reply tooMany = http.send("POST", "/cachet/invalidate", AdminHttp.TOKEN, "application/json",
        many.append("]}").toString());
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().get("message").asString()).contains("1001 tags given, at most 1000");
    AdminHttp.Reply body = http.send("POST", "/cachet/invalidate", AdminHttp.TOKEN, "application/json",
        "{\"tags\":[\"" + "y".repeat(2 << 20) + "\"]}");
    assertThat(body.status()).isEqualTo(413);
    assertThat(body.body().length()).isLessThan(1_000);
    AdminHttp.Reply unknown = send("POST", "/cachet/invalidate?tag=a&" + "z".repeat(5_000) + "=1");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().length()).isLessThan(1_000);
    assertThat(cachet.exists("space:1")).as("nothing was invalidated").isTrue();

    // At the caps: taken; past 16 K characters of tags the answer counts them rather than echoing.
    StringBuilder full = new StringBuilder("{\"tags\":[\"space:1\"");
    for (int i = 0; i < 999; i++) {
      full.append(",\"").append(String.format("%08d", i)).append("x".repeat(40)).append('"');
    }
    AdminHttp.Reply taken = http.send("POST", "/cachet/invalidate", AdminHttp.TOKEN, "application/json",
        full.append("]}").toString());
    assertThat(taken.status()).isEqualTo(200);
    assertThat(taken.json().get("tagCount").asInt()).isEqualTo(1000);
    assertThat(taken.json().has("tags")).isFalse();
    assertThat(cachet.exists("space:1")).isFalse();
    assertThat(http.send("POST", "/cachet/invalidate", AdminHttp.TOKEN, "application/json",
        "{\"tags\":[\"" + "w".repeat(8_192) + "\"]}").status()).isEqualTo(200);
  }

  @Test
  void aClearWithAFormBodyIsRefusedNotTakenForItsFields() {
    put(cachet, "user:1", PLAIN);
    put(cachet, "user:2", PLAIN);
    AdminHttp.Reply form = http.send("POST", "/cachet/clear", AdminHttp.TOKEN,
        "application/x-www-form-urlencoded", "pattern=" + enc("user:1"));
    assertThat(form.status()).isEqualTo(400);
    assertThat(form.json().get("message").asString()).contains("takes no body");
    assertThat(cachet.exists("user:1")).isTrue();
    assertThat(cachet.exists("user:2")).isTrue();
  }

  @Test
  void anEndpointAskedWithAnotherMethodAnswers405WithWhatItTakes() {
    Map<String, String> calls = new java.util.LinkedHashMap<>();
    calls.put("GET /cachet/clear", "POST, OPTIONS");
    calls.put("DELETE /cachet/invalidate", "POST, OPTIONS");
    calls.put("PUT /cachet/stats", "GET, HEAD, OPTIONS");
    calls.put("POST /cachet/health", "GET, HEAD, OPTIONS");
    calls.put("POST /cachet/keys", "GET, HEAD, DELETE, OPTIONS");
    for (Map.Entry<String, String> e : calls.entrySet()) {
      String[] call = e.getKey().split(" ");
      AdminHttp.Reply reply = send(call[0], call[1]);
      assertThat(reply.status()).as(e.getKey()).isEqualTo(405);
      assertThat(reply.header("Allow")).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    }
    assertThat(http.send("GET", "/cachet/clear", null, null, null).status())
        .as("credentials are checked first").isEqualTo(401);
  }

  @Test
  void headWorksWhereverGetDoesAndOptionsSaysWhatAnEndpointTakes() {
    put(cachet, "user:1", PLAIN);
    for (String path : List.of("/cachet/keys?pattern=user:*", "/cachet/stats", "/cachet/health", "/cachet/csrf")) {
      AdminHttp.Reply get = get(path);
      AdminHttp.Reply head = send("HEAD", path);
      assertThat(head.status()).as("HEAD " + path).isEqualTo(200);
      assertThat(head.body()).as("HEAD " + path).isEmpty();
      assertThat(head.header("Content-Type")).as("HEAD " + path).isEqualTo(get.header("Content-Type"));
      assertThat(head.header("Cache-Control")).isEqualTo("no-store");
    }
    assertThat(http.send("HEAD", "/cachet/stats", null, null, null).status()).as("credentials first").isEqualTo(401);
    for (String path : List.of("/cachet/dashboard", "/cachet/dashboard/app.js", "/cachet/dashboard/app.css")) {
      AdminHttp.Reply head = http.send("HEAD", path, null, null, null);
      assertThat(head.status()).as("HEAD " + path).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertThat(head.header("Content-Security-Policy")).contains("default-src 'none'");
      AdminHttp.Reply options = http.send("OPTIONS", path, null, null, null);
      assertThat(options.status()).as("OPTIONS " + path).isEqualTo(204);
      assertThat(options.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
    }
    Map<String, String> allowed = new java.util.LinkedHashMap<>();
    allowed.put("/cachet/keys", "GET, HEAD, DELETE, OPTIONS");
    allowed.put("/cachet/clear", "POST, OPTIONS");
    allowed.put("/cachet/invalidate", "POST, OPTIONS");
    allowed.put("/cachet/stats", "GET, HEAD, OPTIONS");
    allowed.put("/cachet/health", "GET, HEAD, OPTIONS");
    for (Map.Entry<String, String> e : allowed.entrySet()) {
      AdminHttp.Reply options = send("OPTIONS", e.getKey());
      assertThat(options.status()).as("OPTIONS " + e.getKey()).isEqualTo(204);
      assertThat(options.header("Allow")).as("OPTIONS " + e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(cachet.exists("user:1")).isTrue();
  }

  @Test
  void statsCarryTheCountersAndTheRouteTimers() {
    JsonNode before = get("/cachet/stats").json();
    cachet.get("stats:1", Codecs.utf8(), PLAIN, () -> "v");
    cachet.get("stats:1", Codecs.utf8(), PLAIN, () -> "v");
    cachet.get("stats:1", Codecs.utf8(), PLAIN, () -> "v");
    MeterRegistry registry = http.bean(MeterRegistry.class);
    Timer hit = timer(registry, "GET /stats/{id}", "hit");
    Timer miss = timer(registry, "GET /stats/{id}", "miss");
    for (int i = 1; i <= 100; i++) {
      hit.record(Duration.ofMillis(i % 10 + 1));
    }
    miss.record(Duration.ofMillis(80));
    timer(registry, "GET /other", "bypass").record(Duration.ofMillis(5));

    JsonNode after = get("/cachet/stats").json();
    assertThat(after.get("namespace").asString()).isEqualTo("app");
    assertThat(after.get("hits").asLong() - before.get("hits").asLong()).isEqualTo(2);
    assertThat(after.get("misses").asLong() - before.get("misses").asLong()).isEqualTo(1);
    assertThat(after.get("loads").asLong() - before.get("loads").asLong()).isEqualTo(1);
    for (String field : List.of("staleHits", "requests", "loadFailures", "storeErrors", "corruptEntries", "evictions",
        "invalidations", "timestamp")) {
      assertThat(after.get(field).isNumber()).as(field).isTrue();
    }
    assertThat(after.get("hitRate").asDouble()).isBetween(0.0, 1.0);

    JsonNode route = null;
    for (JsonNode r : after.get("routes")) {
      if (r.get("route").asString().equals("GET /stats/{id}")) {
        route = r;
      }
    }
    assertThat(route).isNotNull();
    assertThat(route.get("requests").asLong()).isEqualTo(101);
    assertThat(route.get("results").get("hit").asLong()).isEqualTo(100);
    assertThat(route.get("hitRate").asDouble()).isEqualTo(100 / 101.0, org.assertj.core.data.Offset.offset(1e-9));
    JsonNode hitLatency = route.get("latency").get("hit");
    assertThat(hitLatency.get("count").asLong()).isEqualTo(100);
    assertThat(hitLatency.get("p50").asDouble()).isBetween(4.0, 7.0);
    assertThat(hitLatency.get("p99").asDouble()).isBetween(9.0, 11.0);
    assertThat(route.get("latency").get("miss").get("p95").asDouble()).isBetween(75.0, 85.0);
    assertThat(after.get("latency").get("miss").get("count").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(after.get("routes").get(0).get("requests").asLong()).isGreaterThanOrEqualTo(101);
  }

  static Timer timer(MeterRegistry registry, String route, String result) {
    return Timer.builder("cachet.http.requests").tag("route", route).tag("result", result)
        .publishPercentiles(0.5, 0.95, 0.99).register(registry);
  }

  @Test
  void healthSaysTheStoreAnswersAndWhatItHolds() {
    put(cachet, "user:1", PLAIN);
    AdminHttp.Reply reply = get("/cachet/health");
    assertThat(reply.status()).isEqualTo(200);
    JsonNode health = reply.json();
    assertThat(health.get("status").asString()).isEqualTo("UP");
    assertThat(health.get("reachable").asBoolean()).isTrue();
    assertThat(health.get("store").asString()).isEqualTo("MemoryStore");
    assertThat(health.get("entries").asLong()).isEqualTo(1);
    assertThat(health.get("bytes").asLong()).isGreaterThan(100);
    assertThat(health.get("circuit").isNull()).isTrue();
    assertThat(health.get("capabilities").toString()).contains("PATTERN_SCAN");
  }

  @Test
  void theDashboardShellIsServedWithoutCredentialsUnderAStrictPolicy() {
    AdminHttp.Reply page = http.get("/cachet/dashboard", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'").contains("connect-src 'self'");
    assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(page.body()).contains("dashboard/app.js").doesNotContain("http://").doesNotContain("https://");
    AdminHttp.Reply script = http.get("/cachet/dashboard/app.js", null);
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.header("Content-Type")).startsWith("text/javascript");
    assertThat(script.body()).contains("sessionStorage").doesNotContain("https://");
    assertThat(http.get("/cachet/dashboard/app.css", null).status()).isEqualTo(200);
    AdminHttp.Reply slash = http.get("/cachet/dashboard/", null);
    assertThat(slash.status()).isEqualTo(308);
    assertThat(java.net.URI.create("http://localhost/cachet/dashboard/").resolve(slash.header("Location")).getPath())
        .isEqualTo("/cachet/dashboard");
    // Anything else under the base path is checked.
    assertThat(http.get("/cachet/dashboard/../stats", null).status()).isIn(400, 401, 404);
    assertThat(http.get("/cachet/anything", null).status()).isIn(401, 404);
  }
}
