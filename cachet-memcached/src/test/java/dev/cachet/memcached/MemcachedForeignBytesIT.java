package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.CacheStats;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.internal.KeyMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bytes Cachet did not write, put straight into a real Memcached under Cachet's keys with the
 * text protocol (random bytes, an entry of another namespace or key, a cut entry, a version of 3
 * bytes, another client's value with its own flags): a read is a miss that is counted, never an
 * exception, never a value that was not written for the key.
 */
class MemcachedForeignBytesIT {
  private static final CachePolicy POLICY =
      CachePolicy.builder().ttl(Duration.ofMinutes(5)).tags("t").build();
  @RegisterExtension static final SharedMemcached memcached = new SharedMemcached();

  private String ns;
  private KeyMapper keys;
  private Cachet cachet;
  private final AtomicInteger loads = new AtomicInteger();

  @BeforeEach
  void newCache() {
    ns = "f" + UUID.randomUUID().toString().substring(0, 8);
    keys = new KeyMapper(ns);
    cachet = cachet(ns);
  }

  @AfterEach
  void closeCache() {
    cachet.close();
  }

  private static Cachet cachet(String namespace) {
    return Cachet.builder()
        // Generous timeouts: these tests count store errors, which a loaded 2-core machine must
        // not produce by being slow.
        .store(MemcachedStore.builder().servers(memcached.server.address())
            .operationTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(5)).build())
        .namespace(namespace)
        .build();
  }

  private String get(String key) {
    return cachet.get(key, Codecs.utf8(), POLICY, () -> "loaded-" + loads.incrementAndGet());
  }

  /** The Memcached key the store uses for a Cachet store key. */
  private static String raw(String storeKey) {
    return MemcachedKeys.map(storeKey);
  }

  @Test
  void randomBytesAreACountedMiss() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 50; i++) {
      byte[] bytes = new byte[random.nextInt(0, 300)];
      random.nextBytes(bytes);
      if (i % 2 == 0 && bytes.length > 3) {
        bytes[0] = (byte) 0xCA; // the envelope's magic and format: get past the first check
        bytes[1] = (byte) 0xC7;
        bytes[2] = 1;
      }
      String key = "r" + i;
      rawSet(raw(keys.entryKey(key)), 0, bytes);
      CacheStats before = cachet.stats();
      assertThat(get(key)).isEqualTo("loaded-" + (i + 1));
      assertThat(cachet.stats().corruptEntries()).isEqualTo(before.corruptEntries() + 1);
      assertThat(cachet.stats().misses()).isEqualTo(before.misses() + 1);
    }
    assertThat(cachet.stats().storeErrors()).isZero();
  }

  @Test
  void anEntryOfAnotherNamespaceIsAMiss() {
    String otherNs = ns + "x";
    try (Cachet other = cachet(otherNs)) {
      other.put("k", "theirs", Codecs.utf8(), POLICY);
    }
    rawSet(raw(keys.entryKey("k")), 0, memcached.server.rawGet(raw(new KeyMapper(otherNs).entryKey("k"))));

    assertThat(get("k")).isEqualTo("loaded-1");
    assertThat(cachet.stats().misses()).isEqualTo(1);
    assertThat(get("k")).as("the load replaced it").isEqualTo("loaded-1");
    assertThat(cachet.stats().storeErrors()).isZero();
  }

  @Test
  void anEntryOfAnotherHashedKeyIsACountedMiss() {
    String mine = "\u043a\u043b\u044e\u0447-1"; // not ASCII: the entry records its key
    String theirs = "\u043a\u043b\u044e\u0447-2";
    cachet.put(theirs, "theirs", Codecs.utf8(), POLICY);
    rawSet(raw(keys.entryKey(mine)), 0, memcached.server.rawGet(raw(keys.entryKey(theirs))));

    assertThat(get(mine)).isEqualTo("loaded-1");
    assertThat(cachet.stats().corruptEntries()).isEqualTo(1);
  }

  /** Fails until the core binds every entry to its key (docs/fuzzing.md, finding 5). */
  @Test
  void anEntryOfAnotherLiteralKeyIsACountedMiss() {
    cachet.put("user:2", "theirs", Codecs.utf8(), POLICY);
    rawSet(raw(keys.entryKey("user:1")), 0, memcached.server.rawGet(raw(keys.entryKey("user:2"))));

    assertThat(get("user:1")).isEqualTo("loaded-1");
    assertThat(cachet.stats().corruptEntries()).isEqualTo(1);
  }

  @Test
  void aCutEntryIsACountedMiss() {
    cachet.put("k", "mine", Codecs.utf8(), POLICY);
    String rawKey = raw(keys.entryKey("k"));
    byte[] whole = memcached.server.rawGet(rawKey);
    for (int cut : new int[] {1, 4, 5, whole.length / 2, whole.length - 1}) {
      rawSet(rawKey, 0, Arrays.copyOf(whole, whole.length - cut));
      CacheStats before = cachet.stats();
      assertThat(cachet.getIfPresent("k", Codecs.utf8())).isNull();
      assertThat(cachet.stats().corruptEntries()).isEqualTo(before.corruptEntries() + 1);
    }
    assertThat(get("k")).isEqualTo("loaded-1");
  }

  @Test
  void versionsOfThreeBytesReadAsLostAndAreReplaced() {
    for (String versionKey : new String[] {keys.hardVersionKey("t"), keys.namespaceVersionKey()}) {
      String key = "v-" + versionKey.length();
      assertThat(get(key)).isEqualTo("loaded-" + loads.get());
      int loadsBefore = loads.get();
      rawSet(raw(versionKey), 0, new byte[] {1, 2, 3});

      assertThat(get(key)).as("an unreadable version invalidates")
          .isEqualTo("loaded-" + (loadsBefore + 1));
      assertThat(memcached.server.rawGet(raw(versionKey))).as("replaced by a real version").hasSize(8);
      assertThat(get(key)).as("and the reload is served").isEqualTo("loaded-" + (loadsBefore + 1));
    }
    assertThat(cachet.stats().storeErrors()).isZero();
  }

  @Test
  void anotherClientsValueWithItsOwnFlagsIsACountedMiss() {
    byte[][] values = {
        {(byte) 0xAC, (byte) 0xED, 0, 5, 't', 0, 1, 'x'}, // Java serialization
        {(byte) 0x1F, (byte) 0x8B, 8, 0, 0, 0, 0, 0, 0, 3}, // gzip, as compressing clients store
        "plain text of another app".getBytes(StandardCharsets.UTF_8),
    };
    int[] flags = {1, 2, 0xFFFF, 0x7FFFFFFF};
    int n = 0;
    for (byte[] value : values) {
      for (int flag : flags) {
        String key = "foreign-" + n++;
        rawSet(raw(keys.entryKey(key)), flag, value);
        CacheStats before = cachet.stats();
        assertThat(get(key)).isEqualTo("loaded-" + n);
        assertThat(cachet.stats().corruptEntries()).isEqualTo(before.corruptEntries() + 1);
      }
    }
    assertThat(cachet.stats().storeErrors()).isZero();
  }

  /** {@code set} with the text protocol, bypassing the client under test. */
  private static void rawSet(String key, int flags, byte[] value) {
    String address = memcached.server.address();
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      String command =
          "set " + key + " " + Integer.toUnsignedString(flags) + " 300 " + value.length + "\r\n";
      out.write(command.getBytes(StandardCharsets.US_ASCII));
      out.write(value);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readLine(socket.getInputStream())).isEqualTo("STORED");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
