package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * A cached handler whose body the message converters can write in several media types (here
 * JSON and CSV, with no {@code produces}) stores each representation apart, since Spring picks
 * one by {@code Accept} without a condition or a {@code Vary}; one whose body fits a single
 * media type is not split by {@code Accept}. Over a real port.
 */
class ConvertedMediaTypesTest {
  static final AtomicInteger handled = new AtomicInteger();

  record Report(String id, int n) {}

  record Total(int n) {}

  /** Writes a {@link Report} as CSV: a second representation next to Jackson's JSON. */
  static final class CsvReports extends AbstractHttpMessageConverter<Report> {
    CsvReports() {
      super(new MediaType("text", "csv"));
    }

    @Override
    protected boolean supports(Class<?> clazz) {
      return Report.class.isAssignableFrom(clazz);
    }

    @Override
    protected Report readInternal(Class<? extends Report> clazz, HttpInputMessage input) {
      throw new UnsupportedOperationException();
    }

    @Override
    protected void writeInternal(Report report, HttpOutputMessage output) throws IOException {
      output.getBody().write(("id,n\n" + report.id() + "," + report.n() + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Reports reports() {
      return new Reports();
    }

    @Bean
    HttpMessageConverter<Report> csvReports() {
      return new CsvReports();
    }
  }

  @RestController
  static class Reports {
    @GetMapping("/reports/{id}")
    @CacheResponse(ttl = "1m")
    Report report(@PathVariable String id) {
      return new Report(id, handled.incrementAndGet());
    }

    @GetMapping("/entities/{id}")
    @CacheResponse(ttl = "1m")
    ResponseEntity<Report> entity(@PathVariable String id) {
      return ResponseEntity.ok(new Report(id, handled.incrementAndGet()));
    }

    @GetMapping("/totals")
    @CacheResponse(ttl = "1m")
    Total total() {
      return new Total(handled.incrementAndGet());
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  @Test
  void eachRepresentationTheConvertersChooseByAcceptHasItsOwnEntry() throws Exception {
    for (String path : new String[] {"/reports/7", "/entities/7"}) {
      HttpResponse<String> csv = app.get(path, "Accept", "text/csv");
      assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
      assertThat(csv.body()).startsWith("id,n\n7,");

      HttpResponse<String> json = app.get(path, "Accept", "application/json");
      assertThat(json.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
      assertThat(json.body()).startsWith("{\"id\":\"7\"");
      assertThat(json.headers().firstValue("X-Cache")).hasValue("MISS");

      HttpResponse<String> csvAgain = app.get(path, "Accept", "text/csv");
      assertThat(csvAgain.headers().firstValue("X-Cache")).hasValue("HIT");
      assertThat(csvAgain.body()).isEqualTo(csv.body());
      HttpResponse<String> jsonAgain = app.get(path, "Accept", "application/json");
      assertThat(jsonAgain.headers().firstValue("X-Cache")).hasValue("HIT");
      assertThat(jsonAgain.body()).isEqualTo(json.body());
    }
  }

  @Test
  void aBodyWithOneMediaTypeIsNotSplitByAccept() throws Exception {
    HttpResponse<String> first = app.get("/totals", "Accept", "application/json");
    HttpResponse<String> second = app.get("/totals", "Accept", "*/*");
    assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(second.body()).isEqualTo(first.body());
  }

  @Test
  void theTypesAreThoseTheConvertersOfferForTheBody() throws Exception {
    var converters = app.context().getBean(RequestMappingHandlerAdapter.class).getMessageConverters();
    Reports reports = app.context().getBean(Reports.class);
    assertThat(ConvertedMediaTypes.of(new HandlerMethod(reports, Reports.class.getDeclaredMethod("report", String.class)), converters))
        .containsExactly("application/json", "text/csv");
    assertThat(ConvertedMediaTypes.of(new HandlerMethod(reports, Reports.class.getDeclaredMethod("entity", String.class)), converters))
        .containsExactly("application/json", "text/csv");
    assertThat(ConvertedMediaTypes.of(new HandlerMethod(reports, Reports.class.getDeclaredMethod("total")), converters))
        .containsExactly("application/json");
  }
}
