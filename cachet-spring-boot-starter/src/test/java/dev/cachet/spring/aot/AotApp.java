package dev.cachet.spring.aot;

import dev.cachet.spring.RunningApp;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application AOT tests build ahead of time: every auto-configuration on the test class path,
 * the memory store, the HTTP layer, the admin API and dashboard, and a bean with cached methods.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class AotApp {
  static final String TOKEN = "aot-admin-token-0123456789-abcdefghij";
  /** Read at build time (they decide which beans exist) and again when it starts. */
  static final String[] PROPERTIES = {"cachet.namespace=aot", "cachet.admin.enabled=true", "cachet.admin.token=" + TOKEN};

  private static @Nullable AotBuild build;

  /** This application built ahead of time, once for every test of this JVM. */
  static synchronized AotBuild build() {
    if (build == null) {
      build = AotBuild.process(AotApp.class, Path.of("target", "aot", "app"), PROPERTIES);
    }
    return build;
  }

  /** What the AOT processor runs, with {@link #PROPERTIES} as its arguments. */
  public static void main(String[] args) {
    RunningApp.application(AotApp.class, args).run();
  }

  @Bean
  PriceBook priceBook() {
    return new PriceBook();
  }

  @Bean
  PriceController priceController(PriceBook book) {
    return new PriceController(book);
  }
}
