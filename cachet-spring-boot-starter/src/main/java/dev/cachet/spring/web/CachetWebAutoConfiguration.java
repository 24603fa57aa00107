package dev.cachet.spring.web;

import static dev.cachet.spring.internal.PropertyErrors.naming;

import dev.cachet.Cachet;
import dev.cachet.http.HttpCache;
import dev.cachet.http.HttpCacheConfig;
import dev.cachet.servlet.CachetFilter;
import dev.cachet.spring.IdentityResolver;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import dev.cachet.spring.autoconfigure.CachetProperties;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.security.Principal;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The HTTP response cache in Spring MVC applications: a {@link CachetFilter} routed by the
 * handler mapping ({@code @CacheResponse} reads, invalidating writes), installed after security
 * filters so that a cached response is never served to a request they would reject. Requests are
 * timed into {@code cachet.http.requests} ({@code route}, {@code result}) when a
 * {@link MeterRegistry} exists. Stored responses are gzip-compressed as {@code server.compression.*}
 * and {@code cachet.http.compression.*} say ({@link CompressionSettings}). Handlers that answer
 * asynchronously with a result ({@code CompletableFuture}, {@code DeferredResult},
 * {@code Callable}, {@code WebAsyncTask}) are cached like synchronous ones; streaming answers pass
 * through ({@link AsyncDispatches}).
 */
@AutoConfiguration(after = CachetAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({CachetFilter.class, RequestMappingHandlerMapping.class})
@ConditionalOnBooleanProperty(name = "cachet.http.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CachetCompressionProperties.class)
public class CachetWebAutoConfiguration {
  /**
   * Last: after Spring Security's filter chain (order -100) and after the application's own
   * filters, which Spring Boot registers at this same lowest precedence, before this one (a
   * filter bean without an order, and a {@code FilterRegistrationBean} without one). A cache hit
   * is answered here without the rest of the chain: every filter that may reject a request
   * (authentication, API keys, rate limits) must run before it, and does unless it is ordered
   * after the lowest precedence, which Spring cannot express.
   */
  public static final int FILTER_ORDER = Ordered.LOWEST_PRECEDENCE;

  /** The bean name under which Spring Security registers its filter chain. */
  static final String SPRING_SECURITY_FILTER_CHAIN = "springSecurityFilterChain";

  @Bean
  @ConditionalOnMissingBean
  public IdentityResolver cachetIdentityResolver() {
    return request -> {
      Principal p = request.getUserPrincipal();
      return p == null ? null : p.getName();
    };
  }

  @Bean
  @ConditionalOnMissingBean
  public HttpCache cachetHttpCache(Cachet cachet, CachetProperties properties,
      CachetCompressionProperties compression, org.springframework.core.env.Environment environment,
      org.springframework.beans.factory.BeanFactory beans) {
    CachetProperties.Http http = properties.getHttp();
    Boolean privateWhenUnset = http.getPrivateWhenUnset();
    if (privateWhenUnset == null) {
      // Spring Security's default headers (no-store) go only on responses without Cache-Control:
      // a "private" written first would take their place.
      privateWhenUnset = !beans.containsBean(SPRING_SECURITY_FILTER_CHAIN);
    }
    HttpCacheConfig.Builder b = HttpCacheConfig.builder()
        .honourRequestNoCache(http.isHonourNoCache())
        .honourRequestNoStore(http.isHonourNoStore())
        .hierarchyMode(http.getHierarchy())
        .statusHeaders(http.isStatusHeaders())
        .compression(CompressionSettings.of(environment, compression))
        .privateWhenUnset(privateWhenUnset);
    naming("cachet.http.max-body-size", http.getMaxBodySize(), () -> b.maxBodyBytes(http.getMaxBodySize().toBytes()));
    naming("cachet.http.ignored-parameters", http.getIgnoredParameters(),
        () -> b.ignoredParameters(http.getIgnoredParameters().toArray(String[]::new)));
    naming("cachet.http.ignored-vary-headers", http.getIgnoredVaryHeaders(),
        () -> b.ignoredVaryHeaders(http.getIgnoredVaryHeaders().toArray(String[]::new)));
    HttpCacheConfig config = b.build();
    return HttpCache.builder(cachet).config(config).build();
  }

  @Bean
  DeferredInvalidations cachetDeferredInvalidations(ObjectProvider<Cachet> cachet) {
    return new DeferredInvalidations(cachet::getObject);
  }

  @Bean
  HandlerRouteResolver cachetRouteResolver(
      List<RequestMappingHandlerMapping> mappings, ObjectProvider<HandlerMapping> allMappings,
      ObjectProvider<RequestMappingHandlerAdapter> adapters, CachetProperties properties,
      org.springframework.core.env.Environment environment, org.springframework.beans.factory.BeanFactory beans) {
    // The admin API is never cached, timed or made to invalidate anything.
    List<String> excluded = environment.getProperty("cachet.admin.enabled", Boolean.class, false)
        ? List.of(environment.getProperty("cachet.admin.base-path", "/cachet"))
        : List.of();
    return new HandlerRouteResolver(mappings, allMappings, adapters, properties.getDefaultTtl(), excluded,
        beans.containsBean(SPRING_SECURITY_FILTER_CHAIN));
  }

  /** Marks requests whose handler threw, so that what is written after it is never stored. */
  @Bean
  FailedHandlers cachetFailedHandlers() {
    return new FailedHandlers();
  }

  /** Lets the dispatcher reuse the route resolver's handler lookup instead of repeating it. */
  @Bean
  PreResolvedHandlerMapping cachetPreResolvedHandlerMapping() {
    return new PreResolvedHandlerMapping();
  }

  @Bean
  SmartInitializingSingleton cachetRouteCheck(HandlerRouteResolver routes) {
    return routes::prepareAll;
  }

  /**
   * Cachet's filter, registered as a plain filter bean at the lowest precedence, so that it runs
   * after every filter of the application: Spring Boot registers the filters of registration
   * beans, then filter beans in the order they were defined, the application's before this
   * auto-configuration's, and sorts them by order, keeping that sequence among equals. A cache hit
   * is answered without the rest of the chain, so a filter after Cachet's (one ordered
   * {@code Ordered.LOWEST_PRECEDENCE} in another auto-configuration) would not see hits.
   * For {@code ASYNC} dispatches too: an asynchronous handler's response is written, and
   * finished here, in that dispatch.
   */
  @Bean
  @ConditionalOnMissingBean(name = "cachetFilter")
  @Order(FILTER_ORDER)
  @FilterRegistration(name = "cachetFilter", urlPatterns = "/*", asyncSupported = true,
      dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ASYNC})
  public CachetFilter cachetFilter(
      HttpCache http, HandlerRouteResolver routes, IdentityResolver identity,
      DeferredInvalidations deferred, ObjectProvider<MeterRegistry> registry) {
    return CachetFilter.builder(http)
        .routes(routes)
        .identity(identity::identify)
        .writeListener(deferred)
        .listener(new RequestTimers(registry))
        .handlerFailed(FailedHandlers::failed)
        .asyncReads(AsyncDispatches::writtenOnDispatch)
        .build();
  }
}
