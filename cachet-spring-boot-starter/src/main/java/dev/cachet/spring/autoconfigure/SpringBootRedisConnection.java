package dev.cachet.spring.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Node;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Sentinel;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Standalone;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * Spring Boot's Redis connection ({@code spring.data.redis.*}, or a Testcontainers or Docker
 * Compose service connection), read from its {@link DataRedisConnectionDetails} and written as
 * the URIs Cachet's Redis store takes. Spring's own precedence is kept: Sentinel, then cluster,
 * then master/replica, then the standalone server.
 *
 * <p>Only this class and the configuration that calls it name {@code spring-boot-data-redis}'s
 * types, so the starter never loads them when the application does not have that module.
 */
final class SpringBootRedisConnection {
  private static final String HINT = "; set cachet.redis.url (or cachet.redis.cluster-nodes) for Cachet's store";

  private SpringBootRedisConnection() {}

  /**
   * The connection {@code details} describe, over TLS when they carry an SSL bundle or when
   * {@code springUrl} ({@code spring.data.redis.url}) is a {@code rediss:} URL: Spring Boot keeps
   * that second case out of the details and applies it to the client itself, to every mode.
   *
   * @throws IllegalStateException for what a Redis URI cannot express: static master/replica
   *     nodes, a Sentinel username without a password, an SSL bundle with its own key or
   *     trust material, a username containing {@code :}, several Sentinel nodes one of which is
   *     an IPv6 address, or a Sentinel or cluster without nodes
   */
  static RedisConnection of(DataRedisConnectionDetails details, @Nullable String springUrl) {
    // The scheme is what precedes the first colon; Spring Boot reads exactly "rediss" as TLS.
    boolean tls = usesTls(details.getSslBundle()) || (springUrl != null && springUrl.startsWith("rediss:"));
    String credentials = credentials(details.getUsername(), details.getPassword());
    Sentinel sentinel = details.getSentinel();
    if (sentinel != null) {
      RedisConnection.Credentials own = sentinel.getPassword() == null
          ? null : new RedisConnection.Credentials(sentinel.getUsername(), sentinel.getPassword());
      return RedisConnection.uri(sentinelUri(sentinel, tls, credentials)).withSentinelCredentials(own);
    }
    DataRedisConnectionDetails.Cluster cluster = details.getCluster();
    if (cluster != null) {
      List<Node> nodes = cluster.getNodes();
      if (nodes.isEmpty()) {
        throw new IllegalStateException("Spring Boot's Redis connection is a cluster without nodes" + HINT);
      }
      String scheme = tls ? "rediss://" : "redis://";
      return RedisConnection.cluster(nodes.stream().map(n -> scheme + credentials + hostAndPort(n)).toList());
    }
    if (details.getMasterReplica() != null) {
      throw new IllegalStateException(
          "Cachet's Redis store does not support Spring Boot's static master/replica connection"
              + " (spring.data.redis.masterreplica.nodes)" + HINT);
    }
    Standalone standalone = details.getStandalone();
    if (standalone == null) {
      // The interface lets an implementation describe no server at all; Cachet's default applies.
      return RedisConnection.uri(RedisConnection.DEFAULT_URI);
    }
    return RedisConnection.uri((tls ? "rediss://" : "redis://") + credentials
        + hostAndPort(new Node(standalone.getHost(), standalone.getPort())) + database(standalone.getDatabase()));
  }

  private static String sentinelUri(Sentinel sentinel, boolean tls, String credentials) {
    // A Redis URI's credentials are the master's; the Sentinels' own go beside it.
    if (sentinel.getUsername() != null && sentinel.getPassword() == null) {
      throw new IllegalStateException("spring.data.redis.sentinel.username is set without a password" + HINT);
    }
    if (sentinel.getNodes().isEmpty()) {
      throw new IllegalStateException("Spring Boot's Redis connection names Sentinel master '"
          + sentinel.getMaster() + "' but no Sentinel nodes" + HINT);
    }
    // java.net.URI reads a bracketed IPv6 literal only as a URI's single host, not in a list.
    if (sentinel.getNodes().size() > 1 && sentinel.getNodes().stream().anyMatch(n -> n.host().indexOf(':') >= 0)) {
      throw new IllegalStateException("a list of Sentinel nodes with an IPv6 address cannot be put in a Redis URI: "
          + sentinel.getNodes() + HINT);
    }
    // Lettuce splits the decoded query at these, so a master name holding one would be cut.
    if (sentinel.getMaster().indexOf('&') >= 0 || sentinel.getMaster().indexOf(';') >= 0) {
      throw new IllegalStateException("a Sentinel master name containing '&' or ';' cannot be put in a"
          + " Redis URI: '" + sentinel.getMaster() + "'" + HINT);
    }
    String nodes = sentinel.getNodes().stream().map(SpringBootRedisConnection::hostAndPort)
        .collect(Collectors.joining(","));
    return (tls ? "rediss-sentinel://" : "redis-sentinel://") + credentials + nodes
        + database(sentinel.getDatabase()) + "?sentinelMasterId=" + encode(sentinel.getMaster());
  }

  /**
   * Whether to connect with TLS. A URI can only ask for TLS with the JVM's own trust, so a bundle
   * with stores of its own (a private CA, a client certificate) fails the start rather than
   * leaving the store unable to connect, which would only show as every read missing.
   */
  private static boolean usesTls(@Nullable SslBundle bundle) {
    if (bundle == null) {
      return false;
    }
    SslStoreBundle stores = bundle.getStores();
    if (stores != null && (stores.getKeyStore() != null || stores.getTrustStore() != null)) {
      throw new IllegalStateException(
          "Cachet's Redis store cannot use the SSL bundle of Spring Boot's Redis connection"
              + " (spring.data.redis.ssl.bundle): it connects with the JVM's default trust; set"
              + " cachet.redis.url to a rediss:// URI and give the JVM a trust store that holds the"
              + " server's CA");
    }
    return true;
  }

  /** {@code user:password@}, {@code :password@} or nothing, percent-encoded. */
  private static String credentials(@Nullable String username, @Nullable String password) {
    if (password == null) {
      // Redis authenticates with a password; a username alone is not sent (as Lettuce does).
      return "";
    }
    if (username == null || username.isEmpty()) {
      return ":" + encode(password) + "@";
    }
    // Lettuce splits the decoded user info at its first colon, so the username must have none.
    if (username.indexOf(':') >= 0) {
      throw new IllegalStateException("a Redis username containing ':' cannot be put in a Redis URI" + HINT);
    }
    return encode(username) + ":" + encode(password) + "@";
  }

  private static String hostAndPort(Node node) {
    String host = node.host();
    // An IPv6 literal is bracketed in a URI so that its colons are not read as the port's.
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return host + ":" + node.port();
  }

  private static String database(int database) {
    return database == 0 ? "" : "/" + database;
  }

  /** Percent-encodes all but RFC 3986's unreserved characters, as UTF-8. */
  static String encode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.write(c);
      } else {
        out.write('%');
        out.write(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)));
        out.write(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }
}
