package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Cachet's own admin API is left alone wherever the application is deployed: the excluded prefix
 * is judged on the path within the application, as Spring matches it, not on the raw URI.
 */
class ExcludedPathsTest {
  private final StaticListableBeanFactory beans = new StaticListableBeanFactory();
  private final HandlerRouteResolver resolver = new HandlerRouteResolver(
      List.of(), beans.getBeanProvider(HandlerMapping.class),
      beans.getBeanProvider(RequestMappingHandlerAdapter.class), Duration.ofMinutes(1), List.of("/cachet"), false);

  private static MockHttpServletRequest post(String context, String uri) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", uri);
    request.setContextPath(context);
    return request;
  }

  @Test
  void theAdminApiIsExcludedUnderAContextPath() {
    assertThat(resolver.resolve(post("", "/cachet/clear"))).isNull();
    assertThat(resolver.resolve(post("/app", "/app/cachet/clear"))).isNull();
    assertThat(resolver.resolve(post("/app", "/app/cachet;v=1/clear"))).isNull();
    assertThat(resolver.resolve(post("/app", "/app/%63achet/clear"))).isNull();
  }

  @Test
  void otherWritesStillGetTheirRoute() {
    assertThat(resolver.resolve(post("/app", "/app/items/1"))).isNotNull();
    assertThat(resolver.resolve(post("/app", "/app/cachetx/1"))).isNotNull();
  }
}
