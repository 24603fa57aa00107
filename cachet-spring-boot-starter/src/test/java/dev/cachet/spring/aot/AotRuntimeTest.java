package dev.cachet.spring.aot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.RunningApp;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.annotation.AnnotationConfigRegistry;

/**
 * The application started from its AOT-generated code, on a real port: cached methods, invalidation,
 * a cached route, the admin API and the dashboard work as they do without AOT.
 */
class AotRuntimeTest {
  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(() -> AotApp.build().run(AotApp.PROPERTIES));

  private PriceBook book() {
    return app.context().getBean(PriceBook.class);
  }

  @Test
  void startsFromTheGeneratedCodeWithAProxiedBean() {
    // The generated initializer registers every bean: no configuration class is parsed at start.
    assertThat(app.context()).isNotInstanceOf(AnnotationConfigRegistry.class);
    assertThat(AopUtils.isCglibProxy(book())).isTrue();
  }

  @Test
  void aCachedMethodRunsOnce() {
    PriceBook book = book();
    PriceBook.Price first = book.price("once");
    int loads = book.loads();
    assertThat(book.price("once")).isEqualTo(first);
    assertThat(book.loads()).isEqualTo(loads);
  }

  @Test
  void aGenericListIsReadBackAsItsRecords() {
    PriceBook book = book();
    List<PriceBook.Quote> first = book.quotes(new PriceBook.Range(10, 20));
    int loads = book.loads();
    List<PriceBook.Quote> second = book.quotes(new PriceBook.Range(10, 20));
    assertThat(book.loads()).isEqualTo(loads);
    assertThat(second).isEqualTo(first).allSatisfy(q -> assertThat(q).isInstanceOf(PriceBook.Quote.class));
    book.quotes(new PriceBook.Range(10, 21)); // another argument, another key
    assertThat(book.loads()).isEqualTo(loads + 1);
  }

  @Test
  void aKeyTemplateReadsAPropertyOfItsArgument() {
    PriceBook book = book();
    String first = book.label(new PriceBook.Shelf("7"));
    int loads = book.loads();
    assertThat(book.label(new PriceBook.Shelf("7"))).isEqualTo(first);
    assertThat(book.loads()).isEqualTo(loads);
    assertThat(book.label(new PriceBook.Shelf("8"))).isNotEqualTo(first);
  }

  @Test
  void invalidateCacheMakesTheNextCallRun() {
    PriceBook book = book();
    PriceBook.Price before = book.price("changed");
    int loads = book.loads();
    assertThat(book.price("changed")).isEqualTo(before); // cached until invalidated
    book.reprice("changed");
    assertThat(book.price("changed")).isNotEqualTo(before);
    assertThat(book.loads()).isEqualTo(loads + 1);
  }

  @Test
  void aCachedRouteMissesThenHits() throws Exception {
    HttpResponse<String> miss = app.get("/prices/route");
    HttpResponse<String> hit = app.get("/prices/route");
    assertThat(miss.statusCode()).isEqualTo(200);
    assertThat(miss.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(hit.body()).isEqualTo(miss.body()).contains("\"sku\":\"route\"");
  }

  @Test
  void theAdminApiWritesItsReports() throws Exception {
    HttpResponse<String> stats = app.get("/cachet/stats", "Authorization", "Bearer " + AotApp.TOKEN);
    HttpResponse<String> health = app.get("/cachet/health", "Authorization", "Bearer " + AotApp.TOKEN);
    assertThat(stats.statusCode()).isEqualTo(200);
    assertThat(stats.body()).contains("\"namespace\":\"aot\"", "\"routes\":[");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"", "\"store\":");
  }

  @Test
  void theDashboardIsServed() throws Exception {
    HttpResponse<String> page = app.get("/cachet/dashboard");
    HttpResponse<String> script = app.get("/cachet/dashboard/app.js");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<html");
    assertThat(script.statusCode()).isEqualTo(200);
  }
}
