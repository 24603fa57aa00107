package dev.cachet.spring.autoconfigure;

import static dev.cachet.spring.internal.PropertyErrors.naming;

import dev.cachet.redis.RedisStoreBuilder;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Where the Redis store connects: one URI (a server, or a Sentinel-managed master) or the seed
 * URIs of a cluster, as Lettuce objects, which {@link RedisStoreBuilder#uri(RedisURI)} and {@link
 * RedisStoreBuilder#cluster(RedisURI...)} take.
 *
 * @param uri the server's URI; {@code null} for a cluster
 * @param clusterNodes the cluster's seed URIs; empty unless this is a cluster
 * @param sentinel the Sentinels' own credentials, for a Sentinel URI whose Sentinels require
 *     them; {@code null} otherwise
 * @param ssl the trust and keys of TLS connections; {@code null} for the JVM's default trust
 */
record RedisConnection(
    @Nullable RedisURI uri, List<RedisURI> clusterNodes, @Nullable Credentials sentinel, @Nullable SslOptions ssl) {
  /** A user (or {@code null} for the default user) and a password. */
  record Credentials(@Nullable String username, String password) {}

  /** The server Cachet connects to when nothing names one. */
  static final String DEFAULT_URI = "redis://localhost:6379";

  RedisConnection {
    clusterNodes = List.copyOf(clusterNodes);
    if (sentinel != null && uri == null) {
      throw new IllegalArgumentException("Sentinel credentials need a Sentinel URI");
    }
    if ((uri == null) == clusterNodes.isEmpty()) {
      throw new IllegalArgumentException("either a URI or cluster nodes");
    }
  }

  static RedisConnection uri(RedisURI uri) {
    return new RedisConnection(Objects.requireNonNull(uri, "uri"), List.of(), null, null);
  }

  static RedisConnection clusterUris(List<RedisURI> nodes) {
    return new RedisConnection(null, nodes, null, null);
  }

  /** This connection with the Sentinels' own credentials. */
  RedisConnection withSentinelCredentials(@Nullable Credentials credentials) {
    return new RedisConnection(uri, clusterNodes, credentials, ssl);
  }

  /** This connection with {@code options} as the trust and keys of its TLS connections. */
  RedisConnection withSsl(@Nullable SslOptions options) {
    return new RedisConnection(uri, clusterNodes, sentinel, options);
  }

  /**
   * Chooses the connection, first match wins: {@code cachet.redis.cluster-nodes} when not empty;
   * {@code cachet.redis.url} when not blank; what {@code spring} gives (Spring Boot's own Redis
   * connection), asked only when neither is set, so a setting of Spring's that Cachet cannot use
   * does not matter while Cachet's own settings name the server; {@link #DEFAULT_URI}.
   *
   * @param spring gives Spring Boot's Redis connection, or {@code null} when the application has
   *     none; it may throw {@link IllegalStateException} for one Cachet cannot use
   * @throws IllegalArgumentException when Cachet's own URL or a cluster node is not a Redis URI
   */
  static RedisConnection choose(CachetProperties.Redis cachet, Supplier<@Nullable RedisConnection> spring) {
    if (!cachet.getClusterNodes().isEmpty()) {
      List<RedisURI> nodes = new ArrayList<>();
      for (String node : cachet.getClusterNodes()) {
        nodes.add(parse("cachet.redis.cluster-nodes", node));
      }
      return clusterUris(nodes);
    }
    String url = cachet.getUrl();
    // Blank counts as unset, so CACHET_REDIS_URL= can hand the choice back to Spring Boot's setting.
    Credentials own = cachet.getSentinelPassword() == null
        ? null : new Credentials(cachet.getSentinelUsername(), cachet.getSentinelPassword());
    if (url != null && !url.isBlank()) {
      return uri(parse("cachet.redis.url", url.strip())).withSentinelCredentials(own);
    }
    RedisConnection fromSpring = spring.get();
    if (fromSpring == null) {
      return uri(RedisURI.create(DEFAULT_URI)).withSentinelCredentials(own);
    }
    return own == null ? fromSpring : fromSpring.withSentinelCredentials(own);
  }

  private static RedisURI parse(String property, String uri) {
    try {
      return RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(property + " is not a Redis URI: " + e.getMessage(), e);
    }
  }

  /** Sets this connection and the near cache settings on {@code builder}. */
  RedisStoreBuilder applyTo(RedisStoreBuilder builder, CachetProperties.Redis settings) {
    if (sentinel != null) {
      builder.sentinelCredentials(sentinel.username(), sentinel.password());
    }
    if (ssl != null) {
      builder.ssl(ssl);
    }
    RedisStoreBuilder b = (uri == null ? builder.cluster(clusterNodes.toArray(RedisURI[]::new)) : builder.uri(uri))
        .nearCache(settings.isNearCache());
    return naming("cachet.redis.near-cache-max-size", settings.getNearCacheMaxSize(),
        () -> b.nearCacheMaximumBytes(settings.getNearCacheMaxSize().toBytes()));
  }
}
