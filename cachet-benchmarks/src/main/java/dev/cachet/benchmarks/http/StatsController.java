package dev.cachet.benchmarks.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * How many requests each cached route answered with each outcome ({@code cachet.http.requests}),
 * one {@code route result count} line each, so that the benchmark script can check that hit runs
 * only hit and miss runs only miss. Empty without a meter registry.
 */
@RestController
class StatsController {
  private final ObjectProvider<MeterRegistry> registry;

  StatsController(ObjectProvider<MeterRegistry> registry) {
    this.registry = registry;
  }

  @GetMapping(value = "/bench/stats", produces = "text/plain")
  String stats() {
    MeterRegistry r = registry.getIfAvailable();
    if (r == null) {
      return "";
    }
    TreeMap<String, Long> counts = new TreeMap<>();
    for (Timer t : r.find("cachet.http.requests").timers()) {
      counts.merge(t.getId().getTag("route") + " " + t.getId().getTag("result"), t.count(), Long::sum);
    }
    StringBuilder out = new StringBuilder();
    counts.forEach((k, v) -> out.append(k).append(' ').append(v).append('\n'));
    return out.toString();
  }
}
