package dev.cachet.spring.threads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.Cached;
import dev.cachet.spring.RunningApp;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Many concurrent misses of one slow {@code @CacheResponse} route, and of one slow {@code @Cached}
 * method, over real Tomcat: the handler or method runs once while every caller waits in Cachet's
 * single-flight, and every caller gets its result, within a bound (no deadlock). The slow part
 * waits for the test to open a gate, which it does only once every caller has missed: all of
 * them are then inside Cachet at the same time, on as many request threads.
 *
 * <p>While they wait, the test also reads the monitors ({@code synchronized}) each of those
 * threads holds: none may be locked by Cachet's code. A thread that parks while it holds a monitor
 * pins its carrier thread when it is virtual (JDK 21 to 23), and serializes every other caller of
 * that monitor behind the load whatever the thread. The JVM reports monitors for platform threads
 * only, so this part runs where the requests run on platform threads (JDK 17, or with virtual
 * threads off); the same requests on virtual threads check the single-flight itself.
 */
abstract class ConcurrentMissesCases {
  static final int CALLERS = 48;
  static final Duration BOUND = Duration.ofSeconds(60);

  /** The running application. */
  abstract RunningApp app();

  /** Whether it was started with {@code spring.threads.virtual.enabled=true}. */
  abstract boolean virtualThreadsAsked();

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Gate gate() {
      return new Gate();
    }

    @Bean
    SlowPrices prices(Gate gate) {
      return new SlowPrices(gate);
    }

    @Bean
    Routes routes(Gate gate, SlowPrices prices) {
      return new Routes(gate, prices);
    }
  }

  /** Where the slow parts wait; counts how often they ran and remembers the threads that ran them. */
  static final class Gate {
    final ConcurrentHashMap<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    CountDownLatch of(String name) {
      return gates.computeIfAbsent(name, n -> new CountDownLatch(1));
    }

    int runs(String name) {
      AtomicInteger n = runs.get(name);
      return n == null ? 0 : n.get();
    }

    /** Counts a run of {@code name}, then waits (bounded) until the test opens its gate. */
    String pass(String name) {
      runs.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
      threads.add(Thread.currentThread());
      try {
        if (!of(name).await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException("the gate of " + name + " was never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return name + " computed once";
    }
  }

  public static class SlowPrices {
    private final Gate gate;

    public SlowPrices(Gate gate) {
      this.gate = gate;
    }

    @Cached(key = "price:{sku}", ttl = "10m")
    public String price(String sku) {
      return gate.pass("price:" + sku);
    }
  }

  @RestController
  static class Routes {
    private final Gate gate;
    private final SlowPrices prices;

    Routes(Gate gate, SlowPrices prices) {
      this.gate = gate;
      this.prices = prices;
    }

    @GetMapping("/slow/{id}")
    @CacheResponse(ttl = "10m")
    String slow(@PathVariable String id) {
      return gate.pass("slow:" + id);
    }

    /** Not cached itself: every request calls the cached method. */
    @GetMapping("/prices/{sku}")
    String price(@PathVariable String sku) {
      return prices.price(sku);
    }
  }

  /** The properties both applications share; the max wait is past the bound, so no caller gives up. */
  static String[] properties(boolean virtual) {
    return new String[] {"spring.threads.virtual.enabled=" + virtual, "cachet.max-wait=120s"};
  }

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void concurrentMissesOfASlowRouteRunItsHandlerOnce() throws Exception {
    List<HttpResponse<String>> responses = missTogether("/slow/1", "slow:1");

    assertThat(gate().runs("slow:1")).isEqualTo(1);
    for (HttpResponse<String> r : responses) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("slow:1 computed once");
    }
    HttpResponse<String> later = get("/slow/1").get(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertThat(later.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(gate().runs("slow:1")).isEqualTo(1);
  }

  @Test
  void concurrentMissesOfACachedMethodRunItOnce() throws Exception {
    List<HttpResponse<String>> responses = missTogether("/prices/apple", "price:apple");

    assertThat(gate().runs("price:apple")).isEqualTo(1);
    for (HttpResponse<String> r : responses) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("price:apple computed once");
    }
    assertThat(get("/prices/apple").get(BOUND.toSeconds(), TimeUnit.SECONDS).body())
        .isEqualTo("price:apple computed once");
    assertThat(gate().runs("price:apple")).isEqualTo(1);
  }

  /**
   * Sends {@link #CALLERS} requests to {@code path} at once, waits until every one has missed
   * (the slow part behind gate {@code name} is running, so none has an answer yet), checks the
   * waiting threads, opens the gate and returns the responses.
   */
  private List<HttpResponse<String>> missTogether(String path, String name) throws Exception {
    Cachet cachet = app().context().getBean(Cachet.class);
    long missesBefore = cachet.stats().misses();
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    try {
      for (int i = 0; i < CALLERS; i++) {
        sent.add(get(path));
      }
      until("all " + CALLERS + " requests to miss", () -> cachet.stats().misses() - missesBefore == CALLERS);
      assertThat(gate().runs(name)).isEqualTo(1);
      assertThat(sent).noneMatch(CompletableFuture::isDone);
      checkThreads();
    } finally {
      gate().of(name).countDown();
    }
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      responses.add(f.get(BOUND.toSeconds(), TimeUnit.SECONDS));
    }
    return responses;
  }

  /**
   * The request threads are virtual exactly when virtual threads were asked for on a JDK that has
   * them (21 and later: Spring Boot ignores the property before). On platform threads, every one
   * of the callers is in Cachet's code now, and none holds a monitor Cachet's code locked.
   */
  private void checkThreads() {
    boolean expectVirtual = virtualThreadsAsked() && Runtime.version().feature() >= 21;
    assertThat(gate().threads).isNotEmpty().allMatch(t -> isVirtual(t) == expectVirtual);
    if (expectVirtual) {
      return; // the JVM reports no monitors of virtual threads
    }
    List<String> inCachet = new ArrayList<>();
    List<String> cachetMonitors = new ArrayList<>();
    for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, false)) {
      if (!java.util.Arrays.stream(info.getStackTrace()).anyMatch(ConcurrentMissesCases::isCachet)) {
        continue;
      }
      inCachet.add(info.getThreadName());
      for (MonitorInfo m : info.getLockedMonitors()) {
        if (isCachet(m.getLockedStackFrame())) {
          cachetMonitors.add(info.getThreadName() + " holds " + m.getClassName() + " locked at " + m.getLockedStackFrame());
        }
      }
    }
    assertThat(inCachet).hasSizeGreaterThanOrEqualTo(CALLERS);
    assertThat(cachetMonitors).isEmpty();
  }

  /** A frame of Cachet's own code (not of this test). */
  private static boolean isCachet(StackTraceElement frame) {
    String c = frame.getClassName();
    return c.startsWith("dev.cachet.") && !c.startsWith("dev.cachet.spring.threads.");
  }

  /** {@code Thread.isVirtual()}, which Java 17's API lacks: {@code false} before JDK 21. */
  static boolean isVirtual(Thread t) {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
    } catch (NoSuchMethodException e) {
      return false;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private Gate gate() {
    return app().context().getBean(Gate.class);
  }

  private CompletableFuture<HttpResponse<String>> get(String path) {
    return client.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app().port() + path)).timeout(BOUND).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Waits for {@code condition}, which real requests make true, polling every millisecond up to the bound. */
  private static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + BOUND + " waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}
