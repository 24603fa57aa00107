package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A handler that reads the client's language the usual way in a JSON API, through
 * {@code LocaleContextHolder} (a message source, Bean Validation messages), which Spring's default
 * {@code AcceptHeaderLocaleResolver} answers from {@code Accept-Language} on demand: its response
 * says {@code Vary: Accept-Language}, and its route keys by that header, so that one client's
 * language never reaches another. Spring MVC itself reads no language for a handler that does
 * not ask, so other routes get no such {@code Vary} and are not split by language. Real Tomcat.
 */
class LanguageReadsTest {
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Api api() {
      return new Api();
    }
  }

  @RestController
  static class Api {
    @GetMapping("/greeting/{id}")
    @CacheResponse(ttl = "5m")
    Map<String, String> greeting(@PathVariable String id) {
      Locale locale = LocaleContextHolder.getLocale();
      return Map.of("greeting", locale.getLanguage().equals("fr") ? "bonjour" : "hello");
    }

    /** Reads the language as it runs, then answers later (in an ASYNC dispatch). */
    @GetMapping("/later-greeting/{id}")
    @CacheResponse(ttl = "5m")
    CompletableFuture<Map<String, String>> laterGreeting(@PathVariable String id) {
      boolean french = LocaleContextHolder.getLocale().getLanguage().equals("fr");
      return CompletableFuture.supplyAsync(() -> Map.of("greeting", french ? "bonjour" : "hello"));
    }

    @GetMapping("/later/{id}")
    @CacheResponse(ttl = "5m")
    CompletableFuture<Map<String, String>> later(@PathVariable String id) {
      return CompletableFuture.supplyAsync(() -> Map.of("id", id));
    }

    @GetMapping("/plain/{id}")
    @CacheResponse(ttl = "5m")
    Map<String, String> plain(@PathVariable String id) {
      return Map.of("id", id);
    }

    @GetMapping("/entity/{id}")
    @CacheResponse(ttl = "5m")
    ResponseEntity<Map<String, String>> entity(@PathVariable String id) {
      return ResponseEntity.ok().eTag("\"" + id + "\"").header("Cache-Control", "max-age=60").body(Map.of("id", id));
    }

    @GetMapping("/text/{id}")
    @CacheResponse(ttl = "5m")
    String text(@PathVariable String id) {
      return "text " + id;
    }

    @GetMapping("/file/{id}")
    @CacheResponse(ttl = "5m")
    ResponseEntity<Resource> file(@PathVariable String id) {
      return ResponseEntity.ok().body(new ByteArrayResource(("file " + id).getBytes(StandardCharsets.US_ASCII)));
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  @Test
  void aHandlerThatReadsTheLocaleContextVariesByAcceptLanguage() throws Exception {
    HttpResponse<String> french = app.get("/greeting/1", "Accept-Language", "fr");
    assertThat(french.body()).contains("bonjour");
    assertThat(french.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("accept-language"));

    HttpResponse<String> english = app.get("/greeting/1", "Accept-Language", "en");
    assertThat(english.body()).contains("hello");
    assertThat(english.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("accept-language"));

    // Now keyed by the language: each is stored and served to its own language only.
    assertThat(app.get("/greeting/1", "Accept-Language", "fr").body()).contains("bonjour");
    HttpResponse<String> frenchHit = app.get("/greeting/1", "Accept-Language", "fr");
    assertThat(frenchHit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(frenchHit.body()).contains("bonjour");
    HttpResponse<String> englishAgain = app.get("/greeting/1", "Accept-Language", "en");
    assertThat(englishAgain.body()).contains("hello");
    HttpResponse<String> englishHit = app.get("/greeting/1", "Accept-Language", "en");
    assertThat(englishHit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(englishHit.body()).contains("hello");
  }

  @Test
  void aHandlerThatAnswersLaterVariesByTheLanguageItReadAsItRan() throws Exception {
    HttpResponse<String> french = app.get("/later-greeting/1", "Accept-Language", "fr");
    assertThat(french.body()).contains("bonjour");
    assertThat(french.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("accept-language"));
    assertThat(app.get("/later-greeting/1", "Accept-Language", "en").body()).contains("hello");
    assertThat(app.get("/later-greeting/1", "Accept-Language", "fr").body()).contains("bonjour");
    HttpResponse<String> frenchHit = app.get("/later-greeting/1", "Accept-Language", "fr");
    assertThat(frenchHit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(frenchHit.body()).contains("bonjour");
  }

  @Test
  void routesThatDoNotReadTheLanguageSayNoVaryAcceptLanguageAndAreNotSplitByIt() throws Exception {
    // /later: the filters before Cachet's read the locale in its ASYNC dispatch, for every route.
    for (String path : new String[] {"/plain/1", "/entity/1", "/text/1", "/file/1", "/later/1"}) {
      HttpResponse<String> miss = app.get(path, "Accept-Language", "fr");
      assertThat(miss.headers().firstValue("X-Cache")).as(path).hasValue("MISS");
      assertThat(miss.headers().allValues("Vary")).as(path)
          .noneSatisfy(v -> assertThat(v).containsIgnoringCase("accept-language"));
      HttpResponse<String> other = app.get(path, "Accept-Language", "en");
      assertThat(other.headers().firstValue("X-Cache")).as(path + ": one entry for every language").hasValue("HIT");
      assertThat(other.headers().allValues("Vary")).as(path)
          .noneSatisfy(v -> assertThat(v).containsIgnoringCase("accept-language"));
    }
  }
}
