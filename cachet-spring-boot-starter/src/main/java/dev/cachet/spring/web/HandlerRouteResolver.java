package dev.cachet.spring.web;

import dev.cachet.http.InvalidationPolicy;
import dev.cachet.http.Invalidator;
import dev.cachet.http.RoutePolicy;
import dev.cachet.servlet.Route;
import dev.cachet.servlet.RouteResolver;
import dev.cachet.spring.CacheResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.UrlPathHelper;

/**
 * Finds a request's route through Spring MVC's own handler mapping, before the dispatcher runs:
 * a {@code GET} handled by a {@link CacheResponse} method is cached by that annotation; every
 * write gets the automatic hierarchy invalidation (its {@code @InvalidateCache} templates are
 * rendered from the method's arguments and applied by {@link DeferredInvalidations}). Policies
 * are worked out once per handler method, and reads of a URI seen recently skip the lookup when
 * the mappings allow it ({@link RouteMemo}). Thread-safe.
 */
final class HandlerRouteResolver implements RouteResolver {
  private static final Route NONE = new Route("none", null, InvalidationPolicy.automatic(), Map.of());
  private static final System.Logger LOG = System.getLogger(HandlerRouteResolver.class.getName());
  /** What Spring Security's {@code FilterChainProxy} sets on a request while it runs the rest of the chain. */
  static final String SECURITY_APPLIED = "org.springframework.security.web.FilterChainProxy.APPLIED";

  private final boolean securityChain;
  private final java.util.concurrent.atomic.AtomicBoolean securityOrderReported =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final List<RequestMappingHandlerMapping> mappings;
  private final Duration defaultTtl;
  private final List<String> excludedPrefixes;
  private final Map<java.lang.reflect.Method, Route> readRoutes = new ConcurrentHashMap<>();
  /** Set once every mapping is known ({@link #prepareAll}); until then every read is looked up. */
  private volatile @Nullable CachedPathPrefixes cachedPaths;
  private final ObjectProvider<HandlerMapping> allMappings;
  private final ObjectProvider<RequestMappingHandlerAdapter> adapters;
  /** Every handler mapping but the pre-resolved one, as the dispatcher orders them; set at start. */
  private volatile @Nullable List<HandlerMapping> dispatchOrder;
  /** Recent reads' routes by URI, when the mappings allow it; set at start. */
  private volatile @Nullable RouteMemo memo;

  /**
   * @param excludedPrefixes paths left alone entirely (Cachet's own admin API)
   * @param securityChain whether the application has Spring Security's filter chain, which must
   *     run before a read is answered from the cache
   */
  HandlerRouteResolver(
      List<RequestMappingHandlerMapping> mappings, ObjectProvider<HandlerMapping> allMappings,
      ObjectProvider<RequestMappingHandlerAdapter> adapters, Duration defaultTtl, List<String> excludedPrefixes,
      boolean securityChain) {
    this.securityChain = securityChain;
    this.mappings = mappings;
    this.allMappings = allMappings;
    this.adapters = adapters;
    this.defaultTtl = defaultTtl;
    this.excludedPrefixes = List.copyOf(excludedPrefixes);
  }

  /** Whether the request's path within the application falls under an excluded prefix. */
  private boolean excluded(HttpServletRequest request) {
    if (excludedPrefixes.isEmpty()) {
      return false;
    }
    // As Spring matches it: without the context path, decoded, without ';' parameters.
    String plain = CachedPathPrefixes.plainPath(request);
    String path = plain != null ? plain : UrlPathHelper.defaultInstance.getPathWithinApplication(request);
    for (String prefix : excludedPrefixes) {
      if (path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public @Nullable Route resolve(HttpServletRequest request) {
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    boolean read = method.equals("GET") || method.equals("HEAD");
    // Any method not known to be safe (RFC 9111 section 4.4): a functional route may map MOVE.
    boolean write = !read && Invalidator.invalidates(method);
    String uri = request.getRequestURI();
    if ((!read && !write) || excluded(request)) {
      return null;
    }
    CachedPathPrefixes cached = cachedPaths;
    if (read && cached != null && !cached.mayMatch(request)) {
      return null; // no @CacheResponse route can match: skip the handler lookup
    }
    if (read && securityChain && request.getAttribute(SECURITY_APPLIED) == null) {
      reportSecurityOrder(request);
      return null; // answered from the cache, it would skip the security checks still to come
    }
    RouteMemo memo = read ? this.memo : null;
    RouteMemo.Entry known = memo != null ? memo.find(method, uri) : null;
    if (known != null) {
      return known.route();
    }
    Found found = lookup(request);
    HandlerMethod handler = found != null ? found.handler() : null;
    @SuppressWarnings("unchecked")
    Map<String, String> vars = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
    if (read) {
      if (handler == null) {
        return null;
      }
      Route route = readRoutes.get(handler.getMethod());
      if (route == null) {
        route = readRoute(handler);
        readRoutes.put(handler.getMethod(), route);
      }
      // A hit skips the dispatcher, and with it the interceptors: the guard runs them instead.
      Route resolved = route == NONE ? null : new Route(route.name(), route.read(), route.write(),
          vars == null ? Map.of() : vars, InterceptorGuard.of(found.chain()));
      if (memo != null) {
        memo.remember(request, method, uri, found.mapping(), resolved);
      }
      return resolved;
    }
    Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    String name = method + " " + (handler != null && pattern != null ? pattern : "(unmapped)");
    return new Route(name, null, InvalidationPolicy.automatic(), vars == null ? Map.of() : vars);
  }

  /** Once: Spring Security's chain runs after Cachet's filter, so reads are not cached. */
  private void reportSecurityOrder(HttpServletRequest request) {
    if (securityOrderReported.compareAndSet(false, true)) {
      LOG.log(System.Logger.Level.ERROR, "Spring Security's filter chain had not run when Cachet's filter saw "
          + request.getMethod() + " " + request.getRequestURI() + ": a read answered from the cache would skip"
          + " its checks, so Cachet caches no read it reaches first. Register the chain ahead of Cachet's filter, as"
          + " Spring Boot's security auto-configuration does (a FilterRegistrationBean or DelegatingFilterProxy"
          + " registration ordered before Ordered.LOWEST_PRECEDENCE, e.g. -100)");
    }
  }

  /** The mapping that answered a lookup, and its handler method if it is an annotated one. */
  private record Found(HandlerMapping mapping, HandlerExecutionChain chain, @Nullable HandlerMethod handler) {}

  private @Nullable Found lookup(HttpServletRequest request) {
    Object previous = request.getAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
    ServletRequestPathUtils.parseAndCache(request);
    try {
      // Once started, the dispatcher's own lookup, in its order: what it finds first is what it
      // would run, so it may reuse it (PreResolvedHandlerMapping) instead of looking up again.
      // Before that, only the annotated mappings are asked and nothing is handed on.
      List<HandlerMapping> inOrder = dispatchOrder;
      List<? extends HandlerMapping> asked = inOrder != null ? inOrder : mappings;
      for (HandlerMapping mapping : asked) {
        HandlerExecutionChain chain = mapping.getHandler(request);
        if (chain != null) {
          if (inOrder != null) {
            PreResolvedHandlerMapping.remember(request, chain);
          }
          return new Found(mapping, chain, mapping instanceof RequestMappingHandlerMapping
              && chain.getHandler() instanceof HandlerMethod hm ? hm : null);
        }
      }
      return null;
    } catch (Exception e) {
      return null; // not ours to judge: the dispatcher will answer this request its own way
    } finally {
      if (previous == null) {
        ServletRequestPathUtils.clearParsedRequestPath(request);
      } else {
        request.setAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE, previous);
      }
    }
  }

  /**
   * Works out the route of every {@code @CacheResponse} method now, so that a bad annotation
   * fails the application's start rather than a request.
   */
  void prepareAll() {
    List<RequestMappingInfo> cachedMappings = new ArrayList<>();
    for (RequestMappingHandlerMapping mapping : mappings) {
      mapping.getHandlerMethods().forEach((info, handler) -> {
        Route route = readRoute(handler);
        if (route != NONE) {
          requireReads(info, handler);
          cachedMappings.add(info);
          String pattern = info.getPatternValues().stream().findFirst().orElse(null);
          readRoutes.put(handler.getMethod(), pattern == null ? route
              : new Route("GET " + pattern, route.read(), route.write(), Map.of()));
        }
      });
    }
    cachedPaths = CachedPathPrefixes.of(mappings, cachedMappings);
    List<HandlerMapping> inOrder = allMappings.orderedStream()
        .filter(m -> !(m instanceof PreResolvedHandlerMapping)).toList();
    dispatchOrder = inOrder;
    memo = RouteMemo.of(inOrder);
  }

  /** A {@code @CacheResponse} method must be reachable by {@code GET}: on any other it would do nothing. */
  private static void requireReads(RequestMappingInfo info, HandlerMethod handler) {
    Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
    if (!methods.isEmpty() && !methods.contains(RequestMethod.GET)) {
      throw new IllegalStateException("@CacheResponse on " + handler.getShortLogMessage()
          + ", which is mapped to " + methods + " only: only GET (and HEAD) responses are cached");
    }
  }

  /** Whether reads remember their lookups ({@link RouteMemo}); for tests. */
  boolean remembersLookups() {
    return memo != null;
  }

  private Route readRoute(HandlerMethod handler) {
    CacheResponse cache = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), CacheResponse.class);
    if (cache == null) {
      return NONE;
    }
    String name = "GET " + handler.getShortLogMessage();
    List<HttpMessageConverter<?>> converters = adapters.orderedStream()
        .flatMap(adapter -> adapter.getMessageConverters().stream()).toList();
    List<String> selecting = SelectingHeaders.of(handler.getMethod(), mappings, converters);
    RoutePolicy policy = policyOf(cache, handler.getShortLogMessage(), defaultTtl, selecting);
    MethodSecurity.check(handler, policy);
    return new Route(name, policy, InvalidationPolicy.automatic(), Map.of());
  }

  /**
   * The route policy an annotation describes, varying by {@code selectingHeaders} too (see
   * {@link SelectingHeaders}).
   */
  static RoutePolicy policyOf(
      CacheResponse cache, String where, Duration defaultTtl, List<String> selectingHeaders) {
    Set<String> vary = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    vary.addAll(List.of(cache.varyByHeaders()));
    vary.addAll(selectingHeaders);
    try {
      RoutePolicy.Builder b = RoutePolicy.builder()
          .ttl(cache.ttl().isEmpty() ? defaultTtl : DurationStyle.detectAndParse(cache.ttl()))
          .tags(cache.tags())
          .varyByHeaders(vary.toArray(String[]::new))
          .varyByPrincipal(cache.varyByPrincipal())
          .sharedDespiteCredentials(cache.shared())
          .cacheableStatuses(cache.statuses())
          .distributedLock(cache.lock());
      if (!cache.key().isEmpty()) {
        b.keyTemplate(cache.key());
      }
      if (!cache.staleWhileRevalidate().isEmpty()) {
        b.staleWhileRevalidate(DurationStyle.detectAndParse(cache.staleWhileRevalidate()));
      }
      if (!cache.staleIfError().isEmpty()) {
        b.staleIfError(DurationStyle.detectAndParse(cache.staleIfError()));
      }
      if (cache.jitter() != 0) {
        b.jitter(cache.jitter());
      }
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalStateException("@CacheResponse on " + where + ": " + e.getMessage(), e);
    }
  }
}
