package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Streaming answers on {@code @CacheResponse} routes, over real Tomcat: a
 * {@code StreamingResponseBody}, {@code SseEmitter} or {@code ResponseBodyEmitter} reaches the
 * client as it is written (an event before the next one exists), whole, however large, and is
 * never stored: every request runs its handler.
 */
@Timeout(60) // a stream held back by the cache would otherwise block its reader for ever
class AsyncStreamingTest {
  private static final int CAP = 64 * 1024;

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Streams streams() {
      return new Streams();
    }
  }

  @RestController
  static class Streams {
    /** Runs per route: a test counts only its own route's. */
    final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    final BlockingQueue<ResponseBodyEmitter> emitters = new LinkedBlockingQueue<>();

    int ran(String path) {
      return runs.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    }

    int runs(String path) {
      AtomicInteger n = runs.get(path);
      return n == null ? 0 : n.get();
    }

    @GetMapping("/stream/{id}")
    @CacheResponse(ttl = "10m")
    StreamingResponseBody stream(@PathVariable String id) {
      int n = ran("/stream/" + id);
      return out -> out.write(("stream " + n).getBytes(StandardCharsets.UTF_8));
    }

    @GetMapping("/stream-entity/{id}")
    @CacheResponse(ttl = "10m")
    ResponseEntity<StreamingResponseBody> streamEntity(@PathVariable String id) {
      int n = ran("/stream-entity/" + id);
      return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN)
          .body(out -> out.write(("stream " + n).getBytes(StandardCharsets.UTF_8)));
    }

    /** Three times the cap, in 8 KiB writes. */
    @GetMapping("/large-stream")
    @CacheResponse(ttl = "10m")
    StreamingResponseBody largeStream() {
      ran("/large-stream");
      byte[] all = AsyncReadsTest.text(3 * CAP).getBytes(StandardCharsets.UTF_8);
      return out -> {
        for (int off = 0; off < all.length; off += 8192) {
          out.write(all, off, Math.min(8192, all.length - off));
        }
      };
    }

    @GetMapping("/events/{id}")
    @CacheResponse(ttl = "10m")
    SseEmitter events(@PathVariable String id) {
      ran("/events/" + id);
      SseEmitter emitter = new SseEmitter(20_000L);
      emitters.add(emitter);
      return emitter;
    }

    @GetMapping("/emitted/{id}")
    @CacheResponse(ttl = "10m")
    ResponseBodyEmitter emitted(@PathVariable String id) {
      ran("/emitted/" + id);
      ResponseBodyEmitter emitter = new ResponseBodyEmitter(20_000L);
      emitters.add(emitter);
      return emitter;
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class, "cachet.http.max-body-size=" + CAP + "B");

  private static Streams streams() {
    return app.context().getBean(Streams.class);
  }

  private static void assertNotFromTheCache(HttpResponse<?> r) {
    assertThat(r.headers().firstValue("X-Cache")).isNotEqualTo(Optional.of("HIT"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/stream/1", "/stream-entity/1"})
  void aStreamingResponseBodyPassesThroughAndIsNeverStored(String path) throws Exception {
    int before = streams().runs(path);
    HttpResponse<String> first = app.get(path);
    HttpResponse<String> second = app.get(path);
    assertThat(first.body()).isEqualTo("stream " + (before + 1));
    assertThat(second.body()).isEqualTo("stream " + (before + 2));
    assertNotFromTheCache(first);
    assertNotFromTheCache(second);
  }

  @Test
  void aStreamingResponseBodyOverTheCapStreamsWhole() throws Exception {
    String expected = AsyncReadsTest.text(3 * CAP);
    int before = streams().runs("/large-stream");
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = app.get("/large-stream");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(expected);
      assertNotFromTheCache(r);
    }
    assertThat(streams().runs("/large-stream")).isEqualTo(before + 2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/events/1", "/emitted/1"})
  void anEmitterReachesTheClientAsItSendsAndIsNeverStored(String path) throws Exception {
    int before = streams().runs(path);
    for (int i = 0; i < 2; i++) {
      CompletableFuture<HttpResponse<InputStream>> pending = app.client()
          .sendAsync(app.request("GET", path), HttpResponse.BodyHandlers.ofInputStream());
      ResponseBodyEmitter emitter = streams().emitters.poll(10, TimeUnit.SECONDS);
      assertThat(emitter).isNotNull();
      send(emitter, "first " + i);
      HttpResponse<InputStream> response = pending.get(10, TimeUnit.SECONDS);
      if (emitter instanceof SseEmitter) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
            t -> assertThat(t).startsWith("text/event-stream"));
      }
      assertNotFromTheCache(response);
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        assertReceived(lines, emitter, "first " + i); // before the second exists
        send(emitter, "second " + i);
        emitter.complete();
        assertReceived(lines, emitter, "second " + i);
        assertThat(lines.readLine()).isNull();
      }
    }
    assertThat(streams().runs(path)).isEqualTo(before + 2);
  }

  /** Sends {@code text} as an event of {@code emitter}, or as a line of a plain one. */
  private static void send(ResponseBodyEmitter emitter, String text) throws Exception {
    if (emitter instanceof SseEmitter events) {
      events.send(text);
    } else {
      emitter.send(text + "\n", MediaType.TEXT_PLAIN);
    }
  }

  /** Reads what {@link #send} sent: an event's data line and the blank line after it, or a line. */
  private static void assertReceived(BufferedReader lines, ResponseBodyEmitter emitter, String text) throws Exception {
    if (emitter instanceof SseEmitter) {
      assertThat(lines.readLine()).isEqualTo("data:" + text);
      assertThat(lines.readLine()).isEmpty();
    } else {
      assertThat(lines.readLine()).isEqualTo(text);
    }
  }
}
