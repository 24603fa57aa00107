package dev.cachet.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

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
 * Spring Boot's Redis connection details become Lettuce URIs with the same server, credentials,
 * database, TLS and Sentinel master, and an SSL bundle becomes the store's TLS trust and keys;
 * nothing is escaped, so no value is refused for holding a URI's delimiters.
 */
class SpringBootRedisConnectionTest {

  @Test
  void standaloneKeepsHostPortPasswordAndDatabase() {
    RedisURI uri = single(SpringBootRedisConnection.of(
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
    RedisConnection connection = SpringBootRedisConnection.of(
        details(null, null, null, DataRedisConnectionDetails.Standalone.of("localhost", 6379)), null);
    assertThat(connection.ssl()).isNull();
    RedisURI uri = single(connection);
    assertThat(uri).isEqualTo(RedisURI.create("redis://localhost:6379"));
    assertThat(uri.isSsl()).isFalse();
    assertThat(credentials(uri).hasPassword()).isFalse();
  }

  @Test
  void usernameAndAPasswordOfAwkwardCharactersAreKeptAsTheyAre() {
    String password = "p@ss:w/rd%20?#,&é ";
    RedisURI uri = single(SpringBootRedisConnection.of(
        details("app-user", password, null, DataRedisConnectionDetails.Standalone.of("h", 1)), null));
    assertThat(credentials(uri).getUsername()).isEqualTo("app-user");
    assertThat(new String(credentials(uri).getPassword())).isEqualTo(password);
    assertThat(uri.getHost()).isEqualTo("h");
  }

  @Test
  void aUsernameWithAColonIsKept() {
    // A URI's user info splits at its first colon; a Lettuce URI built field by field does not.
    RedisURI uri = single(SpringBootRedisConnection.of(
        details("team:reader", "pw", null, DataRedisConnectionDetails.Standalone.of("h", 1)), null));
    assertThat(credentials(uri).getUsername()).isEqualTo("team:reader");
    assertThat(new String(credentials(uri).getPassword())).isEqualTo("pw");
  }

  @Test
  void sslWithTheSystemTrustGivesTls() {
    RedisConnection connection = SpringBootRedisConnection.of(
        details(null, null, SslBundle.systemDefault(), DataRedisConnectionDetails.Standalone.of("h", 6379)), null);
    assertThat(single(connection).isSsl()).isTrue();
    assertThat(connection.ssl()).isNotNull();
  }

  @Test
  void aRedissSpringUrlGivesTlsAsSpringBootDoesOutsideTheDetails() {
    DataRedisConnectionDetails sentinel = sentinelDetails(null, null, sentinel("m", 0, null, new Node("s1", 26379)));
    RedisConnection tls = SpringBootRedisConnection.of(sentinel, "rediss://h:1");
    assertThat(single(tls).isSsl()).isTrue();
    assertThat(single(tls).getSentinels()).allMatch(RedisURI::isSsl);
    assertThat(tls.ssl()).isNull(); // no bundle: the JVM's default trust
    assertThat(single(SpringBootRedisConnection.of(sentinel, "redis://h:1")).isSsl()).isFalse();
  }

  @Test
  void anSslBundleWithItsOwnTrustStoreGivesTheStoreItsTrustProtocolsAndCiphers() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    SslBundle bundle = SslBundle.of(SslStoreBundle.of(null, null, trust), null,
        org.springframework.boot.ssl.SslOptions.of(new String[] {"TLS_AES_128_GCM_SHA256"}, new String[] {"TLSv1.3"}));
    RedisConnection connection = SpringBootRedisConnection.of(
        details(null, null, bundle, DataRedisConnectionDetails.Standalone.of("h", 6379)), null);
    assertThat(single(connection).isSsl()).isTrue();
    assertThat(connection.ssl()).isNotNull();
    assertThat(connection.ssl().getProtocols()).containsExactly("TLSv1.3");
    assertThat(connection.ssl().getCipherSuites()).containsExactly("TLS_AES_128_GCM_SHA256");
  }

  @Test
  void sentinelBecomesASentinelUriWithItsMasterNodesAndDatabase() {
    RedisURI uri = single(SpringBootRedisConnection.of(
        sentinelDetails("pw", null, sentinel("my-master", 2, null, new Node("s1", 26379), new Node("s2", 26380))), null));
    assertThat(uri.getSentinelMasterId()).isEqualTo("my-master");
    assertThat(uri.getSentinels()).extracting(RedisURI::getHost, RedisURI::getPort)
        .containsExactly(tuple("s1", 26379), tuple("s2", 26380));
    assertThat(uri.getDatabase()).isEqualTo(2);
    assertThat(new String(credentials(uri).getPassword())).isEqualTo("pw");
    assertThat(uri.isSsl()).isFalse();
  }

  @Test
  void sentinelOverTls() {
    RedisConnection connection = SpringBootRedisConnection.of(
        sentinelDetails(null, SslBundle.systemDefault(), sentinel("m", 0, null, new Node("s1", 26379))), null);
    assertThat(single(connection).isSsl()).isTrue();
    assertThat(single(connection).getSentinels()).allMatch(RedisURI::isSsl);
  }

  @Test
  void theSentinelsOwnPasswordGoesBesideTheUri() {
    RedisConnection connection = SpringBootRedisConnection.of(
        sentinelDetails("master-pw", null, sentinel("m", 0, "sentinel-pw", new Node("s1", 26379))), null);
    assertThat(connection.sentinel()).isEqualTo(new RedisConnection.Credentials(null, "sentinel-pw"));
    assertThat(new String(credentials(single(connection)).getPassword())).isEqualTo("master-pw");
    assertThat(credentials(single(connection).getSentinels().get(0)).hasPassword()).isFalse();
    assertThat(SpringBootRedisConnection.of(
        sentinelDetails(null, null, sentinel("m", 0, null, new Node("s1", 26379))), null).sentinel()).isNull();
  }

  @Test
  void sentinelNodesByIpv6AddressAreKept() {
    RedisURI uri = single(SpringBootRedisConnection.of(sentinelDetails(null, null,
        sentinel("m", 0, null, new Node("h", 26379), new Node("::1", 26380), new Node("fe80::2", 26381))), null));
    assertThat(uri.getSentinels()).extracting(RedisURI::getHost, RedisURI::getPort)
        .containsExactly(tuple("h", 26379), tuple("::1", 26380), tuple("fe80::2", 26381));
  }

  @Test
  void aMasterNameWithAmpersandOrSemicolonIsKept() {
    // A URI's query is split at these; the master name of a built URI is not parsed at all.
    RedisURI uri = single(SpringBootRedisConnection.of(
        sentinelDetails(null, null, sentinel("a&b;c=d", 0, null, new Node("s1", 26379))), null));
    assertThat(uri.getSentinelMasterId()).isEqualTo("a&b;c=d");
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
    assertThat(connection.ssl()).isNotNull();
    assertThat(connection.clusterNodes()).extracting(RedisURI::getHost, RedisURI::getPort)
        .containsExactly(tuple("c1", 7000), tuple("::1", 7001));
    for (RedisURI seed : connection.clusterNodes()) {
      assertThat(seed.isSsl()).isTrue();
      assertThat(credentials(seed).getUsername()).isEqualTo("u");
      assertThat(new String(credentials(seed).getPassword())).isEqualTo("p");
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

  private static RedisURI single(RedisConnection connection) {
    assertThat(connection.uri()).isNotNull();
    return connection.uri();
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
