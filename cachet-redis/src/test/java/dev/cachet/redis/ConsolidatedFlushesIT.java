package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cachet.store.EntryAndVersions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Commands sent by many threads at once share socket writes, and every caller still gets its own
 * reply. The writes are counted by the kernel ({@code syscw} of {@code /proc/self/io}: this
 * process's write system calls), so the test sees what a flush per command would cost.
 */
class ConsolidatedFlushesIT {
  static final int THREADS = 32;
  static final int READS_PER_THREAD = 300;
  static final Path IO = Path.of("/proc/self/io");

  @Test
  void concurrentCommandsShareWritesAndEachGetsItsOwnReply() throws Exception {
    assumeTrue(Files.isReadable(IO), "needs Linux's /proc/self/io to count write system calls");
    try (RedisServerProcess server = RedisServerProcess.start();
        RedisStore store = RedisStore.builder()
            .uri(server.uri())
            .nearCache(false) // every read is a command
            .commandTimeout(Duration.ofSeconds(2))
            .connectTimeout(Duration.ofSeconds(5))
            .build()) {
      for (int t = 0; t < THREADS; t++) {
        store.put("k" + t, bytes("value of " + t), Duration.ofMinutes(5));
        store.setVersion("v" + t, t, Duration.ofMinutes(5));
      }
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> correct = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int id = t;
          correct.add(pool.submit(() -> {
            start.await();
            int ok = 0;
            for (int i = 0; i < READS_PER_THREAD; i++) {
              EntryAndVersions read = store.getWithVersions("k" + id, List.of("v" + id));
              if (read.entry() != null && new String(read.entry(), StandardCharsets.UTF_8).equals("value of " + id)
                  && read.versions() != null && read.versions()[0] == id) {
                ok++;
              }
            }
            return ok;
          }));
        }
        long writesBefore = writeSyscalls();
        start.countDown();
        for (Future<Integer> f : correct) {
          assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(READS_PER_THREAD);
        }
        long writes = writeSyscalls() - writesBefore;
        int commands = THREADS * READS_PER_THREAD;
        // A flush per command would take about one write per command; sharing takes far fewer.
        assertThat(writes).as("write system calls for %d commands", commands).isLessThan(commands / 2);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static long writeSyscalls() throws IOException {
    for (String line : Files.readAllLines(IO)) {
      if (line.startsWith("syscw:")) {
        return Long.parseLong(line.substring("syscw:".length()).trim());
      }
    }
    throw new IllegalStateException("no syscw in " + IO);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
