package dev.cachet.spring.autoconfigure;

import io.lettuce.core.RedisURI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Node;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Sentinel;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Standalone;
import org.springframework.boot.ssl.SslBundle;

/**
 * Spring Boot's Redis connection ({@code spring.data.redis.*}, or a Testcontainers or Docker
 * Compose service connection), read from its {@link DataRedisConnectionDetails} into the Lettuce
 * URIs Cachet's Redis store takes, built field by field (no URI string to escape and parse back),
 * with the SSL bundle's trust and keys. Spring's own precedence is kept: Sentinel, then cluster,
 * then master/replica, then the standalone server.
 *
 * <p>Only this class and the configuration that calls it name {@code spring-boot-data-redis}'s
 * types, so the starter never loads them when the application does not have that module.
 */
final class SpringBootRedisConnection {
  private static final String HINT = "; set cachet.redis.url (or cachet.redis.cluster-nodes) for Cachet's store";

  private SpringBootRedisConnection() {}

  /**
   * The connection {@code details} describe, over TLS when they carry an SSL bundle (whose trust
   * and key material the store then uses) or when {@code springUrl} ({@code
   * spring.data.redis.url}) is a {@code rediss:} URL: Spring Boot keeps that second case out of
   * the details and applies it to the client itself, to every mode.
   *
   * @throws IllegalStateException for what Cachet's store cannot use: static master/replica
   *     nodes, a Sentinel username without a password, a Sentinel or cluster without nodes
   */
  static RedisConnection of(DataRedisConnectionDetails details, @Nullable String springUrl) {
    SslBundle bundle = details.getSslBundle();
    // The scheme is what precedes the first colon; Spring Boot reads exactly "rediss" as TLS.
    boolean tls = bundle != null || (springUrl != null && springUrl.startsWith("rediss:"));
    RedisConnection connection = connection(details, tls);
    return bundle == null ? connection : connection.withSsl(SslBundleOptions.of(bundle));
  }

  private static RedisConnection connection(DataRedisConnectionDetails details, boolean tls) {
    Sentinel sentinel = details.getSentinel();
    if (sentinel != null) {
      RedisConnection.Credentials own = sentinel.getPassword() == null
          ? null : new RedisConnection.Credentials(sentinel.getUsername(), sentinel.getPassword());
      return RedisConnection.uri(sentinelUri(details, sentinel, tls)).withSentinelCredentials(own);
    }
    DataRedisConnectionDetails.Cluster cluster = details.getCluster();
    if (cluster != null) {
      List<Node> nodes = cluster.getNodes();
      if (nodes.isEmpty()) {
        throw new IllegalStateException("Spring Boot's Redis connection is a cluster without nodes" + HINT);
      }
      return RedisConnection.clusterUris(nodes.stream()
          .map(n -> authenticated(RedisURI.builder().withHost(n.host()).withPort(n.port()), details)
              .withSsl(tls).build())
          .toList());
    }
    if (details.getMasterReplica() != null) {
      throw new IllegalStateException(
          "Cachet's Redis store does not support Spring Boot's static master/replica connection"
              + " (spring.data.redis.masterreplica.nodes)" + HINT);
    }
    Standalone standalone = details.getStandalone();
    if (standalone == null) {
      // The interface lets an implementation describe no server at all; Cachet's default applies.
      return RedisConnection.uri(RedisURI.create(RedisConnection.DEFAULT_URI));
    }
    RedisURI.Builder server = RedisURI.builder().withHost(standalone.getHost()).withPort(standalone.getPort())
        .withDatabase(standalone.getDatabase());
    return RedisConnection.uri(authenticated(server, details).withSsl(tls).build());
  }

  private static RedisURI sentinelUri(DataRedisConnectionDetails details, Sentinel sentinel, boolean tls) {
    if (sentinel.getUsername() != null && sentinel.getPassword() == null) {
      throw new IllegalStateException("spring.data.redis.sentinel.username is set without a password" + HINT);
    }
    if (sentinel.getNodes().isEmpty()) {
      throw new IllegalStateException("Spring Boot's Redis connection names Sentinel master '"
          + sentinel.getMaster() + "' but no Sentinel nodes" + HINT);
    }
    RedisURI.Builder b = RedisURI.builder().withSentinelMasterId(sentinel.getMaster())
        .withDatabase(sentinel.getDatabase());
    for (Node node : sentinel.getNodes()) {
      b.withSentinel(node.host(), node.port()); // no password: the Sentinels' own go beside the URI
    }
    // The Sentinels use TLS too, as the master does: Lettuce gives them the master's setting.
    return authenticated(b, details).withSsl(tls).build();
  }

  /** {@code b} with the server's (for Sentinel, the master's) credentials, if any. */
  private static RedisURI.Builder authenticated(RedisURI.Builder b, DataRedisConnectionDetails details) {
    String password = details.getPassword();
    if (password == null) {
      // Redis authenticates with a password; a username alone is not sent (as Lettuce does).
      return b;
    }
    String username = details.getUsername();
    return username == null || username.isEmpty()
        ? b.withPassword(password.toCharArray()) : b.withAuthentication(username, password.toCharArray());
  }
}
