package dev.cachet.benchmarks;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.store.MemoryStore;
import java.util.Locale;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Measures the heap one cached entry costs in a {@link MemoryStore} beyond its key and value
 * bytes: JOL sizes the whole object graph of a store holding {@code N} entries and of an empty
 * one, and the difference per entry, less the caller's key characters and the value's bytes, is
 * the overhead. Each value is stored inside an envelope (timestamps, versions, tags, content type,
 * checksum), whose header is reported both as overhead and apart.
 *
 * <p>Usage: {@code java -Djdk.attach.allowAttachSelf=true -cp benchmarks.jar
 * dev.cachet.benchmarks.HeapOverhead [entries] [valueBytes]}; defaults 100,000 and 100.
 */
public final class HeapOverhead {
  private static final String NAMESPACE = "cachet";

  private HeapOverhead() {}

  /** One measurement: sizes in bytes per entry. */
  record Result(
      int tags, int entries, long storeBytes, int keyChars, int valueBytes, int envelopeHeader,
      double perEntry) {
    double overheadWithHeader() {
      return perEntry - keyChars - valueBytes;
    }

    double overheadWithoutHeader() {
      return overheadWithHeader() - envelopeHeader;
    }
  }

  public static void main(String[] args) {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int valueBytes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    if (entries <= 0 || valueBytes <= 0) {
      throw new IllegalArgumentException("entries and valueBytes must be positive");
    }
    System.out.println(VM.current().details());
    for (int tags = 0; tags <= 2; tags++) {
      Result r = measure(entries, valueBytes, tags);
      System.out.printf(
          Locale.ROOT,
          "tags=%d entries=%,d value=%d B key=%d chars: store graph %,d B -> %.1f B/entry;"
              + " envelope header %d B; overhead %.1f B/entry counting the header,"
              + " %.1f B/entry not counting it%n",
          r.tags(), r.entries(), valueBytes, r.keyChars(), r.storeBytes(), r.perEntry(),
          r.envelopeHeader(), r.overheadWithHeader(), r.overheadWithoutHeader());
    }
    if (Boolean.getBoolean("footprint")) {
      MemoryStore store = filled(entries, valueBytes, 0);
      System.out.println(GraphLayout.parseInstance(store).toFootprint());
    }
  }

  static Result measure(int entries, int valueBytes, int tags) {
    long empty = GraphLayout.parseInstance(emptyStore()).totalSize();
    MemoryStore store = filled(entries, valueBytes, tags);
    long full = GraphLayout.parseInstance(store).totalSize();
    String someKey = key(0);
    byte[] stored = store.get(NAMESPACE + ":k:" + someKey);
    if (stored == null || store.size() != entries) {
      throw new IllegalStateException(
          "store holds " + store.size() + " of " + entries + " entries");
    }
    return new Result(
        tags, entries, full, someKey.length(), valueBytes, stored.length - valueBytes,
        (double) (full - empty) / entries);
  }

  /** An empty store whose lazily made parts (the namespace version) exist, as in a used one. */
  private static MemoryStore emptyStore() {
    MemoryStore store = MemoryStore.builder().build();
    Cachet cachet = Cachet.builder().store(store).namespace(NAMESPACE).build();
    cachet.put("warm-up", new byte[1], Codecs.bytes(), Fixtures.policy(2));
    cachet.delete("warm-up");
    return store;
  }

  private static MemoryStore filled(int entries, int valueBytes, int tags) {
    MemoryStore store = MemoryStore.builder().build();
    // Not closed: closing the cache would empty the store being measured.
    Cachet cachet = Cachet.builder().store(store).namespace(NAMESPACE).build();
    CachePolicy policy = Fixtures.policy(tags);
    for (int i = 0; i < entries; i++) {
      cachet.put(key(i), Fixtures.value(valueBytes, i), Codecs.bytes(), policy);
    }
    return store;
  }

  /** Keys of one length (12 ASCII characters), so that "key bytes" is exact. */
  private static String key(int i) {
    return String.format(Locale.ROOT, "user:%07d", i);
  }
}
