package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.testing.MutableClock;
import dev.cachet.testing.Poll;
import io.lettuce.core.RedisURI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store on a Sentinel-managed master over TLS ({@code rediss-sentinel://}), against real
 * processes that speak TLS only, on every link ({@link SentinelGroup#startTls}: master, replica,
 * two Sentinels, certificates of a private CA made for the test): given that CA as its trust
 * ({@link RedisStoreBuilder#ssl}), the store asks the Sentinels, and subscribes to their
 * announcements, over TLS, works on the master they name as over plain TCP, and follows a
 * failover; left with the JVM's default trust it misses and says why. One group serves every
 * test; the tests hold whichever order they run in, the failover's included.
 */
class SentinelTlsIT {
  static final Duration TTL = Duration.ofMinutes(5);
  static final Duration BOUND = Duration.ofSeconds(5);

  @RegisterExtension
  static final SharedTlsServer<SentinelGroup> tls =
      new SharedTlsServer<>(certs -> SentinelGroup.startTls(2, certs));

  String p;

  @BeforeEach
  void prefix() {
    p = "st" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  RedisStore trustingStore() {
    return NearCacheTracking.awaited(RedisStore.builder().uri(tls.server.uri()).ssl(tls.certs.trust())
        .connectTimeout(Duration.ofSeconds(5)).commandTimeout(Duration.ofSeconds(1)).build(), BOUND, p);
  }

  @Test
  void aStoreTrustingTheCaReadsWritesAndNearCachesOnTheMasterTheTlsSentinelsName() {
    assertThat(tls.server.uri()).startsWith("rediss-sentinel://");
    RedisAdmin master = tls.server.admin(tls.server.currentMaster());
    try (RedisStore store = trustingStore()) {
      store.put(p + "k", bytes("v1"), TTL);
      assertThat(master.redis().get(p + "k")).isEqualTo("v1");
      assertThat(store.get(p + "k")).isEqualTo(bytes("v1"));
      NearCacheTracking.readUntilCached(store, java.util.List.of(p + "k"));
      assertThat(store.nearCache().cached(p + "k")).isEqualTo(bytes("v1"));

      // The invalidation push of another client's write reaches the store over its TLS connection.
      master.redis().set(p + "k", "v2");
      Poll.until(BOUND, "the near cache to drop the overwritten value",
          () -> store.nearCache().cached(p + "k") == null);
      assertThat(store.get(p + "k")).isEqualTo(bytes("v2"));
      assertThat(store.delete(p + "k")).isTrue();
      assertThat(master.redis().exists(p + "k")).isZero();
    }
  }

  @Test
  void tagsAndVersionsWorkAcrossTwoInstancesOverTls() {
    String ns = p.substring(0, p.length() - 1);
    try (RedisStore a = trustingStore(); RedisStore b = trustingStore();
        Cachet one = Cachet.builder().store(a).namespace(ns).build();
        Cachet two = Cachet.builder().store(b).namespace(ns).build()) {
      CachePolicy tagged = CachePolicy.builder().ttl(TTL).tags("users").build();
      AtomicInteger loads = new AtomicInteger();
      assertThat(one.get("u:1", Codecs.utf8(), tagged, () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
      assertThat(two.get("u:1", Codecs.utf8(), tagged, () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
      one.invalidateTags("users");
      Poll.until(BOUND, "the other instance to see the tag invalidation",
          () -> two.get("u:1", Codecs.utf8(), tagged, () -> "v" + loads.incrementAndGet()).equals("v2"));
      assertThat(one.get("u:1", Codecs.utf8(), tagged, () -> "unexpected")).isEqualTo("v2");
      assertThat(loads).hasValue(2);
      assertThat(one.stats().storeErrors()).isZero();
      assertThat(two.stats().storeErrors()).isZero();
    }
  }

  @Test
  void theTrustAlsoReachesAStoreBuiltFromALettuceSentinelUri() {
    List<SentinelProcess> sentinels = tls.server.sentinels();
    RedisURI uri = RedisURI.Builder.sentinel("127.0.0.1", sentinels.get(0).port(), SentinelGroup.NAME)
        .withSentinel("127.0.0.1", sentinels.get(1).port())
        .withSsl(true) // for the Sentinels too: Lettuce gives them the master's setting
        .build();
    try (RedisStore store = RedisStore.builder().uri(uri).ssl(tls.certs.trust()).nearCache(false)
        .connectTimeout(Duration.ofSeconds(5)).build()) {
      store.put(p + "k", bytes("v"), TTL);
      assertThat(store.get(p + "k")).isEqualTo(bytes("v"));
    }
  }

  /**
   * Sentinels that listen without TLS in front of servers that speak only TLS: a Lettuce URI
   * whose Sentinels say so (set after building it: Lettuce's builder gives every Sentinel the
   * master's TLS setting) is kept so in the store's copy, and the store asks the Sentinels over
   * plain TCP and works on the master over TLS.
   */
  @Test
  void aTlsMasterBehindSentinelsThatListenWithoutTls() {
    try (SentinelGroup group = SentinelGroup.startTlsBehindPlainSentinels(1, tls.certs, false)) {
      RedisURI uri = RedisURI.Builder.sentinel("127.0.0.1", group.sentinels().get(0).port(), SentinelGroup.NAME)
          .withSsl(true).build();
      uri.getSentinels().forEach(sentinel -> sentinel.setSsl(false));
      try (RedisStore store = NearCacheTracking.awaited(RedisStore.builder().uri(uri).ssl(tls.certs.trust())
          .connectTimeout(Duration.ofSeconds(5)).build(), BOUND, p)) {
        store.put(p + "k", bytes("v"), TTL);
        assertThat(group.admin(group.master()).redis().get(p + "k")).isEqualTo("v");
        assertThat(store.get(p + "k")).isEqualTo(bytes("v"));
      }
      assertThat(uri.getSentinels()).noneMatch(RedisURI::isSsl); // the caller's URI is untouched
    }
  }

  @Test
  void withoutTheCaTheStoreMissesWithoutThrowingAndLogsTheHandshakeFailure() {
    List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger("dev.cachet");
    Handler capture = capturing(warnings);
    logger.addHandler(capture);
    try (RedisStore store = RedisStore.builder().uri(tls.server.uri()).connectTimeout(Duration.ofSeconds(5)).build();
        Cachet cachet = Cachet.builder().store(store).namespace("sentinel-tls-untrusted").build()) {
      AtomicInteger loads = new AtomicInteger();
      for (int i = 0; i < 3; i++) {
        assertThat(cachet.get("k", Codecs.utf8(), () -> "loaded-" + loads.incrementAndGet()))
            .isEqualTo("loaded-" + (i + 1));
      }
      assertThat(cachet.stats().storeErrors()).isPositive();
      // The build says why it is disconnected: the Sentinels' certificate is not trusted.
      assertThat(warnings).anySatisfy(r -> assertThat(r.getMessage())
          .contains("starts disconnected").contains("Sentinel")
          .contains("unable to find valid certification path"));
    } finally {
      logger.removeHandler(capture);
    }
  }

  /**
   * Behind Sentinel the master's host name is checked against the address the Sentinels give for
   * it (the IP address they monitor), not against the names in the URI: a certificate naming
   * only {@code localhost} passes for the Sentinels, asked as {@code localhost}, and is refused
   * for the master the Sentinels name as {@code 127.0.0.1}, so the store misses and says why.
   * {@code verifyPeer=CA} (the URI's) checks the chain alone, on every connection.
   */
  @Test
  void theMastersCertificateMustNameTheAddressTheSentinelsGiveForIt() {
    List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger("dev.cachet");
    Handler capture = capturing(warnings);
    logger.addHandler(capture);
    try (TestCertificates localhostOnly = TestCertificates.generate("DNS:localhost");
        SentinelGroup group = SentinelGroup.startTls(1, localhostOnly, false)) {
      String uri = "rediss-sentinel://localhost:" + group.sentinels().get(0).port()
          + "?sentinelMasterId=" + SentinelGroup.NAME;
      try (RedisStore store = RedisStore.builder().uri(uri).ssl(localhostOnly.trust()).nearCache(false)
          .connectTimeout(Duration.ofSeconds(5)).build();
          Cachet cachet = Cachet.builder().store(store).namespace("sentinel-tls-host-name").build()) {
        assertThat(cachet.get("k", Codecs.utf8(), () -> "loaded-1")).isEqualTo("loaded-1");
        assertThat(cachet.get("k", Codecs.utf8(), () -> "loaded-2")).isEqualTo("loaded-2");
        assertThat(cachet.stats().storeErrors()).isPositive();
        assertThat(warnings).anySatisfy(r -> assertThat(r.getMessage())
            .contains("starts disconnected").contains("No subject alternative names matching IP address 127.0.0.1"));
      }
      try (RedisStore store = RedisStore.builder().uri(uri + "&verifyPeer=CA").ssl(localhostOnly.trust())
          .nearCache(false).connectTimeout(Duration.ofSeconds(5)).build()) {
        store.put(p + "k", bytes("v"), TTL);
        assertThat(store.get(p + "k")).isEqualTo(bytes("v"));
      }
    } finally {
      logger.removeHandler(capture);
    }
  }

  /**
   * {@code SENTINEL FAILOVER} while requests run, as {@link SentinelFailoverIT} does on plain TCP;
   * the circuit breaker's clock is the test's, advanced past the open period at each check.
   */
  @Test
  void aForcedFailoverUnderLoadOverTls() throws Exception {
    SentinelGroup group = tls.server;
    // Whichever server is the master now: another run of this test may have failed over already.
    FailoverUnderLoad.check(group, group.currentReplica(),
        RedisStore.builder().uri(group.uri()).ssl(tls.certs.trust()), new MutableClock(),
        "SENTINEL FAILOVER over TLS", group::failover, true);
  }

  /** A log handler that adds each record to {@code records}. */
  private static Handler capturing(List<LogRecord> records) {
    return new Handler() {
      @Override public void publish(LogRecord record) {
        records.add(record);
      }

      @Override public void flush() {}

      @Override public void close() {}
    };
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
