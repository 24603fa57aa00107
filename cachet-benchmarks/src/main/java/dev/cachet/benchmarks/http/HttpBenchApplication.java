package dev.cachet.benchmarks.http;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * Starts the benchmark application: {@code java -jar cachet-benchmarks-*-http.jar
 * --server.port=8080}. The defaults below may be overridden on the command line.
 */
@SpringBootApplication
@EnableCaching
public class HttpBenchApplication {
  /** Settings the measurements assume; see docs/benchmarks.md. */
  static final Map<String, Object> DEFAULTS = Map.of(
      "server.address", "127.0.0.1",
      // Connections stay open for the whole run instead of closing every 100 requests.
      "server.tomcat.max-keep-alive-requests", "-1",
      "spring.cache.type", "caffeine",
      "spring.cache.cache-names", "products",
      "spring.cache.caffeine.spec", "maximumSize=16",
      "cachet.namespace", "bench",
      // Bounds the heap the all-miss runs fill: about 1,200 entries of 50 KB, then eviction.
      "cachet.memory.max-size", "64MB",
      "spring.main.banner-mode", "off");

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(HttpBenchApplication.class);
    app.setDefaultProperties(DEFAULTS);
    app.run(args);
  }
}
