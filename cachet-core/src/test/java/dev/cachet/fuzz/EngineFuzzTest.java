package dev.cachet.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cachet.CachePolicy;
import dev.cachet.CacheResult;
import dev.cachet.Cachet;
import dev.cachet.Codec;
import dev.cachet.Codecs;
import dev.cachet.Loaded;
import dev.cachet.internal.Envelope;
import dev.cachet.internal.KeyMapper;
import dev.cachet.store.CacheStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.testing.ManualExecutor;
import dev.cachet.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole engine over a {@link MemoryStore} whose entry and version keys the fuzzer overwrites
 * with bytes of its choosing (random, damaged, well-formed but foreign, another key's) and with
 * arbitrary version stamps: every read returns the loader's value or a value that was written
 * for that key, never throws, and counts what it could not read as a corrupt entry.
 */
class EngineFuzzTest {
  private static final String NS = "ns";
  private static final KeyMapper KEYS = new KeyMapper(NS);
  /** Longer than any clock advance below, so that foreign bytes are still there when read. */
  private static final Duration STORE_TTL = Duration.ofDays(36_500);
  /** Literal keys, and hashed ones (not ASCII, too long, with the hash mark, with a space). */
  private static final List<String> CALLER_KEYS =
      List.of("k", "user:42", "\u043a\u043b\u044e\u0447", "a".repeat(250), "x~y", "sp ace");
  private static final String NEIGHBOUR = "neighbour";
  private static final List<CachePolicy> POLICIES = List.of(
      CachePolicy.ofTtl(Duration.ofMinutes(1)),
      CachePolicy.builder().ttl(Duration.ofMinutes(1)).tags("t1", "t2").build(),
      CachePolicy.builder().ttl(Duration.ofMinutes(1)).tags("t1")
          .staleWhileRevalidate(Duration.ofMinutes(10)).staleIfError(Duration.ofHours(1))
          .refreshAhead(0.5).build());
  /** Values with a prefix, so that bytes without it fail to decode as a codec's would. */
  private static final Codec<String> STRICT = new Codec<>() {
    @Override
    public byte[] encode(String value) {
      return ("V:" + value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
      String s = new String(bytes, StandardCharsets.UTF_8);
      if (!s.startsWith("V:")) {
        throw new IllegalArgumentException("not a value");
      }
      return s.substring(2);
    }
  };

  @BeforeAll
  static void agentWhenFuzzing() {
    FuzzMode.requireAgentWhenFuzzing();
  }

  @FuzzTest
  void foreignBytesAndStampsNeverLeakOrThrow(FuzzedDataProvider data) {
    check(FuzzInput.of(data));
  }

  @Test
  void foreignBytesAndStampsNeverLeakOrThrowOnRandomInputs() {
    FuzzRuns.repeat("engine", 2_000, EngineFuzzTest::check);
  }

  static void check(FuzzInput in) {
    MutableClock clock = new MutableClock();
    MemoryStore store = MemoryStore.builder().clock(clock).build();
    // In-process entries carry no checksum and are trusted; otherwise they must prove intact.
    boolean inProcess = in.bool();
    ManualExecutor refreshes = new ManualExecutor();
    try (Cachet cachet = Cachet.builder().store(inProcess ? store : new NotInProcess(store))
        .clock(clock).namespace(NS)
        .refreshExecutor(refreshes).build()) {
      String key = in.pick(CALLER_KEYS);
      String storeKey = KEYS.entryKey(key);
      Codec<String> codec = in.bool() ? Codecs.utf8() : STRICT;
      CachePolicy policy = in.pick(POLICIES);
      Set<String> servable = new HashSet<>();
      if (in.bool()) {
        cachet.put(key, "put", codec, policy);
        servable.add("put");
      }
      cachet.put(NEIGHBOUR, "neighbour's", codec, policy);

      List<String> trace = new ArrayList<>();
      trace.add("policy " + policy.tags() + (servable.isEmpty() ? "" : ", put"));
      boolean unreadable = false; // the bytes are no entry of this key: counted as corrupt
      boolean unservable = false; // nor a value of this codec: never served
      int writes = in.intIn(1, 3);
      for (int i = 0; i < writes; i++) {
        byte[] bytes = foreignBytes(in, store, storeKey, key, policy, codec, clock.millis());
        store.put(storeKey, bytes, STORE_TTL);
        Envelope e = Envelope.decode(bytes, storeKey, inProcess); // bound to their store key
        trace.add((inProcess ? "wrote in-process " : "wrote ") + (e != null ? e : bytes.length + " bytes"));
        unreadable = e == null || !belongsTo(e, key);
        unservable = unreadable;
        if (!unreadable && !isCopyOfNeighbour(bytes, store)) {
          try {
            servable.add(codec.decode(e.value()));
          } catch (RuntimeException notAValue) {
            unservable = true;
          }
        }
      }
      int stamps = in.intIn(0, 3);
      for (int i = 0; i < stamps; i++) {
        String versionKey = in.pick(List.of(KEYS.namespaceVersionKey(), KEYS.hardVersionKey("t1"),
            KEYS.softVersionKey("t1"), KEYS.hardVersionKey("t2"), KEYS.softVersionKey("t2")));
        long stamp = in.pickLong(0, 1, -1, in.anyLong());
        store.setVersion(versionKey, stamp, STORE_TTL);
        trace.add(versionKey + " = " + stamp);
      }
      long advance = in.pickLong(0, 1, 29_999, 30_000, 60_000, 61_000, 3_600_000,
          in.anyLong() & 0xFF_FFFF_FFFFL);
      clock.advance(Duration.ofMillis(advance));
      trace.add("clock +" + advance + " ms");

      long corruptBefore = cachet.stats().corruptEntries();
      String loaded = "loaded";
      int call = in.intIn(0, 4);
      trace.add("read " + List.of("get", "fetch", "getAsync", "getIfPresent", "peek").get(call));
      String shown = "key " + FuzzStrings.escapeJava(key) + " after " + trace;
      String value = switch (call) {
        case 0 -> cachet.get(key, codec, policy, () -> loaded);
        case 1 -> {
          CacheResult<String> r = cachet.fetch(key, codec, policy, () -> Loaded.of(loaded));
          assertThat(r.status()).isNotNull();
          yield r.value();
        }
        case 2 -> cachet.getAsync(
            key, codec, policy, () -> CompletableFuture.completedFuture(loaded)).join();
        case 3 -> cachet.getIfPresent(key, codec);
        default -> {
          CacheResult<String> r = cachet.peek(key, codec);
          yield r == null ? null : r.value();
        }
      };
      Set<String> allowed = new HashSet<>(servable);
      allowed.add(call <= 2 ? loaded : null);
      assertThat(allowed).as("%s: %s is one of the values written for it or loaded", shown, value)
          .contains(value);
      if (unservable) {
        assertThat(value).as(shown).isEqualTo(call <= 2 ? loaded : null);
      }
      if (unreadable) {
        assertThat(cachet.stats().corruptEntries()).as("corrupt entries counted for " + shown)
            .isGreaterThan(corruptBefore);
      }
      refreshes.runAll();
      assertThat(cachet.keys("*", null, 100).keys()).isNotNull();
      allowed.add(loaded);
      allowed.add(null);
      assertThat(cachet.getIfPresent(key, codec)).as(shown).isIn(allowed);
      cachet.deleteByPattern("*");
    }
  }

  private static boolean belongsTo(Envelope e, String key) {
    return e.originalKey() == null ? KeyMapper.isLiteral(key) : e.originalKey().equals(key);
  }

  private static boolean isCopyOfNeighbour(byte[] bytes, MemoryStore store) {
    return java.util.Arrays.equals(bytes, store.get(KEYS.entryKey(NEIGHBOUR)));
  }

  /** The memory store as a store whose bytes could leave the process. */
  static final class NotInProcess extends dev.cachet.store.ForwardingStore {
    NotInProcess(CacheStore delegate) {
      super(delegate);
    }

    @Override
    public Set<dev.cachet.store.StoreCapability> capabilities() {
      Set<dev.cachet.store.StoreCapability> all = java.util.EnumSet.noneOf(dev.cachet.store.StoreCapability.class);
      all.addAll(super.capabilities());
      all.remove(dev.cachet.store.StoreCapability.IN_PROCESS);
      return all;
    }
  }

  /** Bytes another writer could leave under {@code storeKey}. */
  private static byte[] foreignBytes(
      FuzzInput in, MemoryStore store, String storeKey, String key, CachePolicy policy,
      Codec<String> codec, long now) {
    byte[] current = store.get(storeKey);
    return switch (in.intIn(0, 4)) {
      case 0 -> in.bytes(300);
      case 1 -> current == null ? in.bytes(80) : Mutations.mutate(current, in);
      case 2 -> store.get(KEYS.entryKey(NEIGHBOUR));
      default -> craftedEnvelope(in, store, key, policy, codec, now).encode(KEYS.entryKey(key));
    };
  }

  /** A well-formed envelope with fuzzer-chosen windows, versions, key and value. */
  private static Envelope craftedEnvelope(
      FuzzInput in, MemoryStore store, String key, CachePolicy policy, Codec<String> codec,
      long now) {
    List<String> tags = new ArrayList<>();
    for (String tag : policy.tags()) {
      tags.add(KeyMapper.encode(tag));
    }
    if (in.bool()) {
      tags.add(KeyMapper.encode(in.string(10)));
    }
    List<String> versionKeys = new ArrayList<>();
    versionKeys.add(KEYS.namespaceVersionKey());
    for (String tag : tags) {
      versionKeys.add(KEYS.hardVersionKeyOfEncoded(tag));
      versionKeys.add(KEYS.softVersionKeyOfEncoded(tag));
    }
    long[] current = store.getVersions(versionKeys);
    long[] tagVersions = new long[tags.size() * 2];
    for (int i = 0; i < tagVersions.length; i++) {
      tagVersions[i] = in.bool() ? current[i + 1] : in.anyLong();
    }
    long nsVersion = in.bool() ? current[0] : in.anyLong();
    String originalKey = switch (in.intIn(0, 3)) {
      case 0 -> null;
      case 1 -> key;
      case 2 -> NEIGHBOUR;
      default -> in.string(20);
    };
    byte[] value = in.bool() ? codec.encode("crafted") : in.bytes(40);
    long created = now + in.intIn(-120_000, 1_000);
    long fresh = in.bool() ? now + in.intIn(-60_000, 120_000) : in.anyLong();
    long swr = in.bool() ? fresh + in.intIn(0, 600_000) : in.anyLong();
    long sie = in.bool() ? fresh + in.intIn(0, 3_600_000) : in.anyLong();
    long refreshAt = in.bool() ? Long.MAX_VALUE : in.anyLong();
    return new Envelope(created, fresh, swr, sie, refreshAt, nsVersion, tags, tagVersions,
        originalKey, codec.contentType(), value);
  }
}
