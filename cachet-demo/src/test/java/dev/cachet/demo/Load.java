package dev.cachet.demo;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

/**
 * Client threads sending GETs to two instances in turn, each response checked for a 2xx status and
 * the body its path calls for. Paths mix hits (16 hot values, three demo items) and misses (a new
 * value every fourth request).
 */
final class Load {
  /** One request: when it was sent and answered (nanoTime), and what came back. */
  record Sample(long sentAt, long answeredAt, boolean ok, String xCache, String problem) {
    long nanos() {
      return answeredAt - sentAt;
    }
  }

  private final DemoInstance a;
  private final DemoInstance b;
  private final int threads;
  private final int requestsPerThread;
  private final AtomicInteger answered = new AtomicInteger();
  private final List<Future<List<Sample>>> results = new ArrayList<>();
  private ExecutorService pool;

  Load(DemoInstance a, DemoInstance b, int threads, int requestsPerThread) {
    this.a = a;
    this.b = b;
    this.threads = threads;
    this.requestsPerThread = requestsPerThread;
  }

  static String path(int thread, int i) {
    return switch (i % 4) {
      case 0 -> "/it/value/u-" + thread + "-" + i;
      case 1 -> "/spaces/2/items/" + (1 + i % 3);
      default -> "/it/value/h" + (i % 16);
    };
  }

  /** The text a correct body of {@code path} holds. */
  static String expected(String path) {
    if (path.startsWith("/spaces/2/items/")) {
      return "\"name\":\"item 2." + path.substring("/spaces/2/items/".length()) + "\"";
    }
    return "\"value\":\"" + path.substring("/it/value/".length()) + "\"";
  }

  int total() {
    return threads * requestsPerThread;
  }

  int answered() {
    return answered.get();
  }

  void start() {
    pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      results.add(pool.submit(() -> run(thread)));
    }
  }

  private List<Sample> run(int thread) {
    List<Sample> samples = new ArrayList<>(requestsPerThread);
    for (int i = 0; i < requestsPerThread; i++) {
      DemoInstance target = (thread + i) % 2 == 0 ? a : b;
      String path = path(thread, i);
      long sent = System.nanoTime();
      Sample s;
      try {
        HttpResponse<String> r = target.get(path);
        boolean ok = r.statusCode() / 100 == 2 && r.body().contains(expected(path));
        s = new Sample(sent, System.nanoTime(), ok, DemoInstance.xCache(r),
            ok ? "" : target + " " + path + " -> " + r.statusCode() + " " + r.body());
      } catch (RuntimeException e) {
        s = new Sample(sent, System.nanoTime(), false, "none", target + " " + path + " -> " + e);
      }
      samples.add(s);
      answered.incrementAndGet();
    }
    return samples;
  }

  /** Waits for every thread; a thread that threw fails here. */
  List<Sample> finish() throws Exception {
    List<Sample> all = new ArrayList<>(total());
    for (Future<List<Sample>> f : results) {
      all.addAll(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();
    return all;
  }

  /** A summary of the samples sent at times matching {@code sentAt}. */
  static String summary(List<Sample> samples, LongPredicate sentAt) {
    long[] nanos = samples.stream().filter(s -> sentAt.test(s.sentAt())).mapToLong(Sample::nanos).sorted().toArray();
    Map<String, Integer> xCache = new TreeMap<>();
    samples.stream().filter(s -> sentAt.test(s.sentAt())).forEach(s -> xCache.merge(s.xCache(), 1, Integer::sum));
    if (nanos.length == 0) {
      return "no requests";
    }
    return String.format(java.util.Locale.ROOT, "%d requests, p50 %.2f ms, p99 %.2f ms, max %.1f ms, X-Cache %s",
        nanos.length, percentile(nanos, 0.50) / 1e6, percentile(nanos, 0.99) / 1e6,
        nanos[nanos.length - 1] / 1e6, xCache);
  }

  static long percentile(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
