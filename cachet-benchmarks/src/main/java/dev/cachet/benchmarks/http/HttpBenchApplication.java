package dev.cachet.benchmarks.http;

import dev.cachet.spring.autoconfigure.CachetProperties;
import dev.cachet.store.CacheStore;
import dev.cachet.store.MemoryStore;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

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

  /**
   * With {@code --bench.memory-maintenance=caller}, the memory store runs Caffeine's eviction
   * bookkeeping on the writing thread instead of where the starter runs it, so that the two can
   * be compared side by side ({@code APPS=} in http-bench.sh).
   */
  @Bean
  @ConditionalOnProperty(name = "bench.memory-maintenance", havingValue = "caller")
  CacheStore callerMaintainedMemoryStore(CachetProperties properties) {
    return MemoryStore.builder().maximumBytes(properties.getMemory().getMaxSize().toBytes()).build();
  }

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(HttpBenchApplication.class);
    app.setDefaultProperties(DEFAULTS);
    app.run(args);
  }
}
