package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import java.lang.reflect.Method;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * A request-mapping handler mapping ordered before the annotated controllers (as Actuator's is)
 * may answer a path by more than the path: reads on its paths are looked up every time, so a
 * request it would answer never gets the controllers' cached entry; over a real port.
 */
class RouteMemoGuardTest {
  /** Answers {@code GET /items/{id}} before the controllers, but only with {@code X-Early}. */
  static final class EarlyMapping extends RequestMappingInfoHandlerMapping {
    EarlyMapping() {
      setOrder(-5);
      setPatternParser(new PathPatternParser());
    }

    @Override
    protected boolean isHandler(Class<?> beanType) {
      return false; // registers its one handler itself
    }

    @Override
    protected RequestMappingInfo getMappingForMethod(Method method, Class<?> handlerType) {
      return null;
    }

    @Override
    public void afterPropertiesSet() {
      super.afterPropertiesSet();
      RequestMappingInfo.BuilderConfiguration options = new RequestMappingInfo.BuilderConfiguration();
      options.setPatternParser(getPatternParser());
      try {
        registerMapping(RequestMappingInfo.paths("/items/{id}").methods(RequestMethod.GET)
            .headers("X-Early").options(options).build(), new EarlyHandler(), EarlyHandler.class.getMethod("early"));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public static final class EarlyHandler {
    @ResponseBody
    public String early() {
      return "early";
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    EarlyMapping earlyMapping() {
      return new EarlyMapping();
    }

    @Bean
    Items items() {
      return new Items();
    }
  }

  @RestController
  static class Items {
    private int handled;

    @GetMapping("/items/{id}")
    @CacheResponse(ttl = "1m")
    synchronized String item(@PathVariable String id) {
      return "item " + id + " #" + ++handled;
    }

    @GetMapping("/other/{id}")
    @CacheResponse(ttl = "1m")
    synchronized String other(@PathVariable String id) {
      return "other " + id + " #" + ++handled;
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  @Test
  void theEarlierMappingStillAnswersWhatItWouldAnswer() throws Exception {
    assertThat(app.context().getBean(HandlerRouteResolver.class).remembersLookups()).isTrue();
    String first = app.get("/items/1").body();
    assertThat(app.get("/items/1").headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(app.get("/items/1").body()).isEqualTo(first);

    HttpResponse<String> early = app.get("/items/1", "X-Early", "yes");
    assertThat(early.body()).isEqualTo("early");
    assertThat(early.headers().firstValue("X-Cache")).isEmpty();
  }

  @Test
  void pathsTheEarlierMappingCannotMatchAreStillServedFromTheCache() throws Exception {
    String first = app.get("/other/1").body();
    HttpResponse<String> hit = app.get("/other/1", "X-Early", "yes");
    assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(hit.body()).isEqualTo(first);
  }
}
