package dev.cachet.spring.web;

import static dev.cachet.spring.internal.PropertyErrors.naming;

import dev.cachet.http.Compression;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The {@link Compression} policy of cached responses, from Spring Boot's
 * {@code server.compression.*} and {@code cachet.http.compression.*}: an application that turned
 * compression on gets its cached responses compressed too, with the same media types and minimum
 * size, without a setting of Cachet's. (The container cannot compress them itself: Tomcat leaves
 * every response with a strong {@code ETag} alone, and Cachet's are strong.)
 */
final class CompressionSettings {
  private static final String SERVER_COMPRESSION = "org.springframework.boot.web.server.Compression";

  private CompressionSettings() {}

  static Compression of(Environment environment, CachetCompressionProperties cachet) {
    Binder binder = Binder.get(environment);
    boolean serverSettings = ClassUtils.isPresent(SERVER_COMPRESSION, CompressionSettings.class.getClassLoader());
    @Nullable ServerCompression server = serverSettings ? ServerCompression.bind(binder) : null;
    @Nullable Boolean enabled = cachet.getEnabled();
    boolean on = enabled != null ? enabled : server != null && server.enabled();
    if (!on) {
      return Compression.off();
    }
    Compression.Builder b = naming("cachet.http.compression.level", cachet.getLevel(),
        () -> Compression.builder().level(cachet.getLevel()));
    if (server != null) {
      b.mediaTypes(server.mediaTypes()).minBytes(server.minBytes());
      if (server.excludedUserAgents().length > 0) {
        b.excludedUserAgents(server.excludedUserAgents());
      }
    }
    return b.build();
  }

  /** What {@code server.compression.*} says; touched only when Spring Boot's class is present. */
  private record ServerCompression(
      boolean enabled, String[] mediaTypes, int minBytes, String[] excludedUserAgents) {
    static ServerCompression bind(Binder binder) {
      org.springframework.boot.web.server.Compression c = binder
          .bind("server.compression", org.springframework.boot.web.server.Compression.class)
          .orElseGet(org.springframework.boot.web.server.Compression::new);
      // Tomcat matches type/subtype and ignores parameters: so does Cachet.
      String[] types = Arrays.stream(c.getAllMimeTypes())
          .map(t -> t.contains(";") ? t.substring(0, t.indexOf(';')) : t)
          .map(String::trim)
          .filter(t -> !t.isEmpty())
          .toArray(String[]::new);
      long min = c.getMinResponseSize().toBytes();
      String[] agents = c.getExcludedUserAgents() == null ? new String[0] : c.getExcludedUserAgents();
      return new ServerCompression(
          c.getEnabled(), types, (int) Math.min(Integer.MAX_VALUE, Math.max(0, min)), agents);
    }
  }
}
