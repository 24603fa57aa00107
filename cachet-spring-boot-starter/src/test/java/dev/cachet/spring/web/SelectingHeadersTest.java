package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * When Spring chooses between cached handlers of one path by a request header ({@code produces},
 * {@code headers}), each handler's entries vary by that header, so one handler's stored response
 * never answers a request that Spring gives to the other; over a real port.
 */
class SelectingHeadersTest {
  static final AtomicInteger handled = new AtomicInteger();

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Reports reports() {
      return new Reports();
    }
  }

  @RestController
  static class Reports {
    @GetMapping(value = "/reports/{id}", produces = "application/json")
    @CacheResponse(ttl = "1m")
    String json(@PathVariable String id) {
      return "{\"report\":\"" + id + "\",\"n\":" + handled.incrementAndGet() + "}";
    }

    // Another variable name, the same paths: Spring chooses between the two by Accept alone.
    @GetMapping(value = "/reports/{reportId}", produces = "text/csv")
    @CacheResponse(ttl = "1m")
    String csv(@PathVariable String reportId) {
      return "report,n\n" + reportId + "," + handled.incrementAndGet() + "\n";
    }

    @GetMapping(value = "/greeting", headers = "X-Lang=fr")
    @CacheResponse(ttl = "1m")
    String french() {
      return "bonjour #" + handled.incrementAndGet();
    }

    @GetMapping("/greeting")
    @CacheResponse(ttl = "1m")
    String english() {
      return "hello #" + handled.incrementAndGet();
    }

    @GetMapping(value = "/single", produces = "application/json")
    @CacheResponse(ttl = "1m")
    String single() {
      return "{}";
    }

    @GetMapping(value = "/either", produces = {"application/json", "text/plain"})
    @CacheResponse(ttl = "1m")
    String either() {
      return "either";
    }

    @GetMapping(value = "/versioned", headers = "X-Api=2")
    @CacheResponse(ttl = "1m")
    Map<String, String> versioned() {
      return Map.of("version", "2");
    }

    @PostMapping(value = "/plain", consumes = "application/json")
    String write() {
      return "written";
    }

    @GetMapping("/plain")
    @CacheResponse(ttl = "1m", varyByHeaders = "Accept")
    Map<String, String> plain() {
      return Map.of("plain", "#" + handled.incrementAndGet());
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  @Test
  void eachRepresentationChosenByAcceptHasItsOwnEntry() throws Exception {
    HttpResponse<String> json = app.get("/reports/1", "Accept", "application/json");
    assertThat(json.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(json.headers().firstValue("X-Cache")).hasValue("MISS");

    HttpResponse<String> csv = app.get("/reports/1", "Accept", "text/csv");
    assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
    assertThat(csv.body()).startsWith("report,n\n1,");
    assertThat(csv.headers().firstValue("X-Cache")).hasValue("MISS");

    assertThat(app.get("/reports/1", "Accept", "application/json").body()).isEqualTo(json.body());
    assertThat(app.get("/reports/1", "Accept", "text/csv").body()).isEqualTo(csv.body());
    assertThat(app.get("/reports/1", "Accept", "text/csv").headers().firstValue("X-Cache")).hasValue("HIT");
  }

  @Test
  void oneHandlerWithSeveralMediaTypesStoresEachRepresentationApart() throws Exception {
    HttpResponse<String> text = app.get("/either", "Accept", "text/plain");
    assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    HttpResponse<String> json = app.get("/either", "Accept", "application/json");
    assertThat(json.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(json.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(app.get("/either", "Accept", "text/plain").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
  }

  @Test
  void handlersChosenByAHeaderConditionHaveTheirOwnEntries() throws Exception {
    HttpResponse<String> english = app.get("/greeting");
    assertThat(english.body()).startsWith("hello #");
    HttpResponse<String> french = app.get("/greeting", "X-Lang", "fr");
    assertThat(french.body()).startsWith("bonjour #");
    assertThat(french.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(app.get("/greeting", "X-Lang", "fr").body()).isEqualTo(french.body());
    assertThat(app.get("/greeting").body()).isEqualTo(english.body());
  }

  @Test
  void onlyTheHeadersThatChooseAmongAPathsReadHandlersAreAdded() throws Exception {
    RequestMappingHandlerMapping mapping = app.context().getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
    List<RequestMappingHandlerMapping> mappings = List.of(mapping);
    List<HttpMessageConverter<?>> converters =
        app.context().getBean(RequestMappingHandlerAdapter.class).getMessageConverters();
    assertThat(SelectingHeaders.of(Reports.class.getDeclaredMethod("json", String.class), mappings, converters))
        .containsExactly("accept");
    // A String without produces is written as text/plain or JSON, as Accept asks.
    assertThat(SelectingHeaders.of(Reports.class.getDeclaredMethod("english"), mappings, converters))
        .containsExactly("accept", "x-lang");
    // A write's consumes condition does not choose among reads.
    assertThat(SelectingHeaders.of(Reports.class.getDeclaredMethod("plain"), mappings, converters)).isEmpty();
    // Alone on its path: only several media types of its own split its entries.
    assertThat(SelectingHeaders.of(Reports.class.getDeclaredMethod("single"), mappings, converters)).isEmpty();
    assertThat(SelectingHeaders.of(Reports.class.getDeclaredMethod("versioned"), mappings, converters)).isEmpty();
    assertThat(SelectingHeaders.of(Reports.class.getDeclaredMethod("either"), mappings, converters))
        .containsExactly("accept");
  }

  @Test
  void selectingHeadersAreAddedToTheDeclaredOnesOnce() throws Exception {
    CacheResponse declared = Reports.class.getDeclaredMethod("plain").getAnnotation(CacheResponse.class);
    assertThat(HandlerRouteResolver.policyOf(declared, "plain", Duration.ofMinutes(1), List.of("accept", "x-lang"))
        .varyByHeaders()).containsExactly("accept", "x-lang");
  }
}
