package dev.cachet.spring.web;

import dev.cachet.http.XCache;
import dev.cachet.servlet.RequestListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Times every routed request into {@code cachet.http.requests} ({@code route}, {@code result}),
 * with the 0.5, 0.95 and 0.99 percentiles published. Timers are looked up once per route and
 * result, not per request. Thread-safe.
 */
final class RequestTimers implements RequestListener {
  static final String NAME = "cachet.http.requests";

  private final ObjectProvider<MeterRegistry> registry;
  /** Per route, one timer per {@link XCache} outcome, created on first use. */
  private final Map<String, Timer[]> timers = new ConcurrentHashMap<>();

  RequestTimers(ObjectProvider<MeterRegistry> registry) {
    this.registry = registry;
  }

  @Override
  public void onRequest(String route, XCache result, long nanos) {
    Timer[] byResult = timers.computeIfAbsent(route, r -> new Timer[XCache.values().length]);
    Timer timer = byResult[result.ordinal()];
    if (timer == null) {
      MeterRegistry r = registry.getIfAvailable();
      if (r == null) {
        return;
      }
      timer = Timer.builder(NAME)
          .description("Requests on routes Cachet handles, by how the cache handled them")
          .tag("route", route)
          .tag("result", result.name().toLowerCase(Locale.ROOT))
          .publishPercentiles(0.5, 0.95, 0.99)
          .register(r);
      byResult[result.ordinal()] = timer; // a race registers the same meter twice: harmless
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }
}
