package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * With {@code server.forward-headers-strategy=framework}, Spring's {@code ForwardedHeaderFilter}
 * applies the forwarding headers to the request and then hides them from every filter after it,
 * Cachet's included, while the handler builds its links from them: the origin the request ends
 * up with is keyed, so one forged header never reaches another client's entry.
 */
class ForwardedHeaderFilterTest {

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Links links() {
      return new Links();
    }
  }

  @RestController
  static class Links {
    final AtomicInteger runs = new AtomicInteger();

    @GetMapping("/links")
    @CacheResponse(ttl = "1m")
    Map<String, String> links(@RequestParam String k) {
      return Map.of("self", ServletUriComponentsBuilder.fromCurrentRequest().toUriString(),
          "run", Integer.toString(runs.incrementAndGet()));
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class, "server.forward-headers-strategy=framework");

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "X-Forwarded-Host|evil.example",
    "X-Forwarded-Proto|https",
    "X-Forwarded-Port|1",
    "Forwarded|host=evil.example;proto=https",
    "X-Forwarded-Ssl|on",
  })
  void aForgedForwardingHeaderNeverReachesAnotherClientsEntry(String header, String value) throws Exception {
    String path = "/links?k=" + header.toLowerCase(java.util.Locale.ROOT);
    HttpResponse<String> forged = app.get(path, header, value);
    assertThat(forged.headers().firstValue("X-Cache")).hasValue("MISS");
    String clean = "http://127.0.0.1:" + app.port() + path;
    assertThat(forged.body()).as("the filter applied the header").doesNotContain(clean);

    HttpResponse<String> victim = app.get(path);
    assertThat(victim.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(victim.body()).contains("\"self\":\"" + clean + "\"");
    assertThat(app.get(path).headers().firstValue("X-Cache")).as("the clean entry is cached").hasValue("HIT");
    assertThat(app.get(path, header, value).body()).as("and the forged one apart").isEqualTo(forged.body());
  }
}
