package dev.cachet.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.security.KeyStore;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Node;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * Spring Boot's Redis connection details become URIs that Lettuce (and so Cachet's store) reads
 * back as the same server, credentials, database, TLS and Sentinel master.
 */
class SpringBootRedisConnectionTest {

  @Test
  void standaloneKeepsHostPortPasswordAndDatabase() {
    RedisURI uri = parsed(SpringBootRedisConnection.of(
        details(null, "secret", null, DataRedisConnectionDetails.Standalone.of("redis.example", 6380, 3)), null));
    assertThat(uri.isSsl()).isFalse();
    assertThat(uri.getHost()).isEqualTo("redis.example");
    assertThat(uri.getPort()).isEqualTo(6380);
    assertThat(uri.getDatabase()).isEqualTo(3);
    assertThat(credentials(uri).getUsername()).isNull();
    assertThat(new String(credentials(uri).getPassword())).isEqualTo("secret");
  }

  @Test
  void plainDefaultsGiveThePlainUri() {
    assertThat(SpringBootRedisConnection.of(details(null, null, null, DataRedisConnectionDetails.Standalone.of("localhost", 6379)), null))
        .isEqualTo(RedisConnection.uri("redis://localhost:6379"));
  }

  @Test
  void usernameAndAPasswordOfAwkwardCharactersSurviveTheUri() {
    String password = "p@ss:w/rd%20?#,&é ";
    RedisURI uri = parsed(SpringBootRedisConnection.of(
        details("app-user", password, null, DataRedisConnectionDetails.Standalone.of("h", 1)), null));
    assertThat(credentials(uri).getUsername()).isEqualTo("app-user");
    assertThat(new String(credentials(uri).getPassword())).isEqualTo(password);
    assertThat(uri.getHost()).isEqualTo("h");
  }

  @Test
  void aUsernameWithAColonIsRefused() {
    assertThatThrownBy(() -> SpringBootRedisConnection.of(
        details("a:b", "pw", null, DataRedisConnectionDetails.Standalone.of("h", 1)), null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cachet.redis.url");
  }

  @Test
  void sslWithTheSystemTrustGivesTls() {
    RedisConnection connection = SpringBootRedisConnection.of(
        details(null, null, SslBundle.systemDefault(), DataRedisConnectionDetails.Standalone.of("h", 6379)), null);
    assertThat(connection.uri()).startsWith("rediss://");
    assertThat(parsed(connection).isSsl()).isTrue();
  }

  @Test
  void aRedissSpringUrlGivesTlsAsSpringBootDoesOutsideTheDetails() {
    DataRedisConnectionDetails sentinel = sentinelDetails(null, null, sentinel("m", 0, null, new Node("s1", 26379)));
    assertThat(SpringBootRedisConnection.of(sentinel, "rediss://h:1").uri()).startsWith("rediss-sentinel://");
    assertThat(SpringBootRedisConnection.of(sentinel, "redis://h:1").uri()).startsWith("redis-sentinel://");
  }

  @Test
  void anSslBundleWithItsOwnTrustStoreIsRefusedAtStart() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    SslBundle bundle = SslBundle.of(SslStoreBundle.of(null, null, trust));
    assertThatThrownBy(() -> SpringBootRedisConnection.of(
        details(null, null, bundle, DataRedisConnectionDetails.Standalone.of("h", 6379)), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("spring.data.redis.ssl.bundle").hasMessageContaining("rediss://");
  }

  @Test
  void sentinelBecomesASentinelUriWithItsMasterNodesAndDatabase() {
    RedisURI uri = parsed(SpringBootRedisConnection.of(
        sentinelDetails("pw", null, sentinel("my-master", 2, null, new Node("s1", 26379), new Node("s2", 26380))), null));
    assertThat(uri.getSentinelMasterId()).isEqualTo("my-master");
    assertThat(uri.getSentinels()).extracting(RedisURI::getHost, RedisURI::getPort)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("s1", 26379), org.assertj.core.groups.Tuple.tuple("s2", 26380));
    assertThat(uri.getDatabase()).isEqualTo(2);
    assertThat(new String(credentials(uri).getPassword())).isEqualTo("pw");
    assertThat(uri.isSsl()).isFalse();
  }

  @Test
  void sentinelOverTls() {
    RedisConnection connection = SpringBootRedisConnection.of(
        sentinelDetails(null, SslBundle.systemDefault(), sentinel("m", 0, null, new Node("s1", 26379))), null);
    assertThat(connection.uri()).startsWith("rediss-sentinel://");
    assertThat(parsed(connection).isSsl()).isTrue();
  }

  @Test
  void theSentinelsOwnPasswordGoesBesideTheUri() {
    RedisConnection connection = SpringBootRedisConnection.of(
        sentinelDetails("master-pw", null, sentinel("m", 0, "sentinel-pw", new Node("s1", 26379))), null);
    assertThat(connection.sentinel()).isEqualTo(new RedisConnection.Credentials(null, "sentinel-pw"));
    assertThat(new String(credentials(parsed(connection)).getPassword())).isEqualTo("master-pw");
    assertThat(SpringBootRedisConnection.of(
        sentinelDetails(null, null, sentinel("m", 0, null, new Node("s1", 26379))), null).sentinel()).isNull();
  }

  @Test
  void sentinelNodesByIpv6AddressFailTheStartClearly() {
    assertThatThrownBy(() -> SpringBootRedisConnection.of(
        sentinelDetails(null, null, sentinel("m", 0, null, new Node("h", 26379), new Node("::1", 26380))), null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("IPv6");
  }

  @Test
  void sentinelWithoutNodesFailsTheStart() {
    assertThatThrownBy(() -> SpringBootRedisConnection.of(sentinelDetails(null, null, sentinel("m", 0, null)), null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no Sentinel nodes");
  }

  @Test
  void clusterBecomesSeedUrisWithCredentialsAndTls() {
    DataRedisConnectionDetails details = new DataRedisConnectionDetails() {
      @Override public String getUsername() { return "u"; }
      @Override public String getPassword() { return "p"; }
      @Override public SslBundle getSslBundle() { return SslBundle.systemDefault(); }
      @Override public Cluster getCluster() { return () -> List.of(new Node("c1", 7000), new Node("::1", 7001)); }
    };
    RedisConnection connection = SpringBootRedisConnection.of(details, null);
    assertThat(connection.uri()).isNull();
    assertThat(connection.clusterNodes()).containsExactly("rediss://u:p@c1:7000", "rediss://u:p@[::1]:7001");
    assertThat(RedisURI.create(connection.clusterNodes().get(1)).getHost()).isEqualTo("[::1]");
    for (String seed : connection.clusterNodes()) {
      RedisURI uri = RedisURI.create(seed);
      assertThat(uri.isSsl()).isTrue();
      assertThat(credentials(uri).getUsername()).isEqualTo("u");
    }
  }

  @Test
  void masterReplicaIsNotSupportedAndSaysSo() {
    DataRedisConnectionDetails details = new DataRedisConnectionDetails() {
      @Override public Standalone getStandalone() { return Standalone.of("h", 1); }
      @Override public MasterReplica getMasterReplica() { return () -> List.of(new Node("h", 1)); }
    };
    assertThatThrownBy(() -> SpringBootRedisConnection.of(details, null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("master/replica");
  }

  @Test
  void encodingLeavesOnlyUnreservedCharacters() {
    assertThat(SpringBootRedisConnection.encode("aZ09-._~")).isEqualTo("aZ09-._~");
    assertThat(SpringBootRedisConnection.encode("@:/ é")).isEqualTo("%40%3A%2F%20%C3%A9");
  }

  private static RedisURI parsed(RedisConnection connection) {
    assertThat(connection.uri()).isNotNull();
    return RedisURI.create(connection.uri());
  }

  private static RedisCredentials credentials(RedisURI uri) {
    return uri.getCredentialsProvider().resolveCredentials().block();
  }

  private static DataRedisConnectionDetails details(
      @Nullable String username, @Nullable String password, @Nullable SslBundle ssl,
      DataRedisConnectionDetails.Standalone standalone) {
    return new DataRedisConnectionDetails() {
      @Override public @Nullable String getUsername() { return username; }
      @Override public @Nullable String getPassword() { return password; }
      @Override public @Nullable SslBundle getSslBundle() { return ssl; }
      @Override public Standalone getStandalone() { return standalone; }
    };
  }

  private static DataRedisConnectionDetails sentinelDetails(
      @Nullable String password, @Nullable SslBundle ssl, DataRedisConnectionDetails.Sentinel sentinel) {
    return new DataRedisConnectionDetails() {
      @Override public @Nullable String getPassword() { return password; }
      @Override public @Nullable SslBundle getSslBundle() { return ssl; }
      // Spring's own details always have a standalone server too; the Sentinel must win over it.
      @Override public Standalone getStandalone() { return Standalone.of("ignored", 1); }
      @Override public Sentinel getSentinel() { return sentinel; }
    };
  }

  private static DataRedisConnectionDetails.Sentinel sentinel(
      String master, int database, @Nullable String password, Node... nodes) {
    return new DataRedisConnectionDetails.Sentinel() {
      @Override public int getDatabase() { return database; }
      @Override public String getMaster() { return master; }
      @Override public List<Node> getNodes() { return List.of(nodes); }
      @Override public @Nullable String getUsername() { return null; }
      @Override public @Nullable String getPassword() { return password; }
    };
  }
}
