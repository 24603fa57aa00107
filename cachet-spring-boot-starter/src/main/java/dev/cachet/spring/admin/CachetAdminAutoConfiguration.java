package dev.cachet.spring.admin;

import dev.cachet.Cachet;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.http.server.PathContainer;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The admin REST API and the dashboard under {@code cachet.admin.base-path}, in servlet Spring MVC
 * applications with {@code cachet.admin.enabled=true}. Every path but the dashboard's static files
 * needs the credentials {@link CachetAdminProperties} describes; without any the application does
 * not start.
 */
@AutoConfiguration(after = {CachetAutoConfiguration.class, CachetMetricsAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBooleanProperty("cachet.admin.enabled")
@ConditionalOnBean({Cachet.class, CachetInspector.class})
@EnableConfigurationProperties(CachetAdminProperties.class)
@ImportRuntimeHints(AdminRuntimeHints.class)
public class CachetAdminAutoConfiguration {
  private static final System.Logger LOG = System.getLogger(CachetAdminAutoConfiguration.class.getName());

  @Bean
  @ConditionalOnMissingBean(name = "cachetAdminRouterFunction")
  RouterFunction<ServerResponse> cachetAdminRouterFunction(
      CachetAdminProperties properties, Cachet cachet, CachetInspector inspector, ApplicationContext context) {
    String base = basePath(properties);
    RouterFunction<ServerResponse> api =
        new AdminApi(cachet, inspector, new AdminJson(), Clock.systemUTC()).routes(base);
    if (!properties.isDashboard()) {
      return api;
    }
    ClassLoader loader = context.getClassLoader() != null ? context.getClassLoader() : getClass().getClassLoader();
    return api.and(new DashboardAssets(loader).routes(base));
  }

  @Bean
  @ConditionalOnMissingBean(name = "cachetAdminAccessConfigurer")
  WebMvcConfigurer cachetAdminAccessConfigurer(CachetAdminProperties properties, ApplicationContext context) {
    String base = basePath(properties);
    AdminAccess access = AdminAccess.from(properties, context.getClassLoader());
    if (access.insecure()) {
      LOG.log(System.Logger.Level.WARNING, "cachet.admin.insecure=true: the Cachet admin API at " + base
          + " reads and deletes every cache entry without credentials, for "
          + (access.remote() ? "ANY client that can reach this application (cachet.admin.insecure-remote-access=true)"
              : "clients on this machine (localhost)")
          + ". For local development only: set cachet.admin.token (or cachet.admin.authority) anywhere else.");
    }
    AdminAccessInterceptor interceptor = new AdminAccessInterceptor(access, new AdminJson());
    return new WebMvcConfigurer() {
      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(interceptor)
            .addPathPatterns(base, base + "/**")
            // The page and its scripts hold no data; the calls they make are checked.
            .excludePathPatterns(base + "/dashboard", base + "/dashboard/*");
      }
    };
  }

  /**
   * Fails the start when the application's own handlers (controllers, actuator endpoints) answer
   * at the base path or under it: the admin API's access check would lock them, and they would
   * shadow the admin API. A pattern that starts with a wildcard ({@code /{tenant}}, {@code /**})
   * overlaps every base path: it is logged as a warning instead.
   */
  @Bean
  static SmartInitializingSingleton cachetAdminBasePathCheck(
      CachetAdminProperties properties, ObjectProvider<RequestMappingInfoHandlerMapping> mappings) {
    return () -> {
      String base = basePath(properties);
      for (RequestMappingInfoHandlerMapping mapping : mappings.orderedStream().toList()) {
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
          for (String pattern : info.getPatternValues()) {
            if (!overlaps(pattern, base)) {
              continue;
            }
            String handler = String.valueOf(mapping.getHandlerMethods().get(info));
            if (startsWithWildcard(pattern)) {
              LOG.log(System.Logger.Level.WARNING, "the application's " + pattern + " (" + handler + ") also matches"
                  + " paths under cachet.admin.base-path " + base + ", where the admin API's access check applies");
              continue;
            }
            throw new IllegalStateException("cachet.admin.base-path " + base + " overlaps the application's "
                + pattern + " (" + handler + "): the admin API's access check would lock it. Choose a base path"
                + " no handler of the application uses, e.g. cachet.admin.base-path=/cachet");
          }
        }
      }
    };
  }

  /** Whether {@code pattern} matches the base path, or a path under it the admin API uses. */
  static boolean overlaps(String pattern, String base) {
    if (pattern.equals(base) || pattern.startsWith(base + "/")) {
      return true;
    }
    PathPattern parsed;
    try {
      parsed = PathPatternParser.defaultInstance.parse(pattern);
    } catch (RuntimeException e) {
      return false; // not a path pattern (another matcher's syntax): judged by its text alone
    }
    for (String path : List.of(base, base + "/keys", base + "/stats", base + "/health", base + "/clear",
        base + "/invalidate", base + "/csrf", base + "/dashboard", base + "/dashboard/app.js")) {
      if (parsed.matches(PathContainer.parsePath(path))) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWithWildcard(String pattern) {
    String first = pattern.startsWith("/") ? pattern.substring(1) : pattern;
    return first.startsWith("{") || first.startsWith("*") || first.isEmpty();
  }

  /**
   * The checked base path.
   *
   * @throws IllegalStateException unless it is {@code /} and path segments of letters, digits,
   *     {@code - _ .}, without a trailing slash
   */
  static String basePath(CachetAdminProperties properties) {
    String base = properties.getBasePath();
    if (base == null || !base.matches("(/[A-Za-z0-9._-]+)+")) {
      throw new IllegalStateException(
          "cachet.admin.base-path must look like /cachet or /admin/cache (segments of letters, digits,"
              + " '.', '_', '-', no trailing slash): '" + base + "'");
    }
    return base;
  }
}
