package dev.cachet.spring.aot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

/**
 * The hints the AOT build hands to native-image: without them a native image misses the dashboard's
 * files, cannot encode or decode cached values and admin reports, cannot read key properties, and
 * reads Spring Security and spring-tx as absent.
 */
class AotHintsTest {
  private final RuntimeHints hints = AotApp.build().hints();

  @Test
  void theDashboardFilesAreResources() {
    for (String file : List.of("index.html", "app.js", "charts.js", "format.js", "app.css", "icon.svg")) {
      assertThat(RuntimeHintsPredicates.resource().forResource("dev/cachet/spring/admin/dashboard/" + file))
          .as(file).accepts(hints);
    }
  }

  @Test
  void theAdminReportsCanBeWrittenAsJson() {
    for (String type : List.of("dev.cachet.spring.admin.StatsReport", "dev.cachet.spring.admin.StatsReport$Route",
        "dev.cachet.spring.admin.StatsReport$Latency", "dev.cachet.spring.admin.HealthReport",
        "dev.cachet.spring.admin.AdminApi$KeyView", "dev.cachet.spring.admin.AdminApi$KeysView")) {
      assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(type))).as(type).accepts(hints);
    }
    assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
        dev.cachet.spring.admin.StatsReport.class, "hitRate")).accepts(hints);
    assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
        dev.cachet.spring.admin.HealthReport.class, "capabilities")).accepts(hints);
  }

  @Test
  void cachedValuesCanBeEncodedAndDecoded() throws Exception {
    // A record: its canonical constructor (decoding) and its accessors (encoding).
    assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(
        PriceBook.Price.class.getDeclaredConstructor(String.class, long.class))).accepts(hints);
    assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PriceBook.Price.class, "cents")).accepts(hints);
    // The element of a List<Quote>: only the generic return type names it.
    assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(
        PriceBook.Quote.class.getDeclaredConstructor(String.class, long.class, String.class))).accepts(hints);
    assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PriceBook.Quote.class, "currency"))
        .accepts(hints);
  }

  @Test
  void keyArgumentsCanBeRead() {
    // Serialized into a default key.
    assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PriceBook.Range.class, "toCents"))
        .accepts(hints);
    // Read by a key template, {shelf.aisle}.
    assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PriceBook.Shelf.class, "getAisle"))
        .accepts(hints);
  }

  @Test
  void theCachedBeanIsProxiedAtBuildTime() {
    // A native image cannot make classes: the proxy exists only if Cachet's advisor matched at build
    // time (a JVM started from the same build names its own proxy with the next number).
    assertThat(AotApp.build().generatedClasses()).contains(PriceBook.class.getName() + "$$SpringCGLIB$$0");
    // Its advised methods are found by reflection (matching) and called through it.
    for (String method : List.of("price", "quotes", "label", "reprice")) {
      assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PriceBook.class, method))
          .as(method).accepts(hints);
    }
  }

  @Test
  void optionalLibrariesCanBeFoundByName() {
    for (String type : List.of("org.springframework.transaction.support.TransactionSynchronizationManager",
        "org.springframework.security.web.csrf.CsrfToken",
        "org.springframework.security.core.context.SecurityContextHolder")) {
      assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(type))).as(type).accepts(hints);
    }
  }
}
