package dev.cachet.spring.web;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.condition.MediaTypeExpression;
import org.springframework.web.servlet.mvc.condition.NameValueExpression;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The request headers by which Spring MVC chooses between the {@code GET} handlers of a cached
 * method's paths: {@code Accept} where one of them declares {@code produces}, {@code Content-Type}
 * for {@code consumes}, and the names in {@code headers} conditions; and {@code Accept} for a
 * method that can answer in more than one media type: several in its own {@code produces}, or,
 * with no single one declared, several that the message converters can write its body in
 * ({@link ConvertedMediaTypes}).
 *
 * <p>A cached method's entries vary by these headers on top of its declared ones. Otherwise the
 * entry one handler stored would answer a request that Spring gives to another, such as a JSON
 * body to a client that asked for XML. Spring does not send {@code Vary} for these choices, so the
 * response cannot tell. A method alone on its paths whose conditions admit one representation
 * (such as a controller-wide {@code produces = "application/json"}) adds nothing: every request
 * it answers gets the same bytes, so its entries are not split by each client's {@code Accept};
 * neither is a method whose body only one converter media type fits (a record with only JSON
 * on the class path). The query is part of every key already, so {@code params} conditions need
 * nothing. Choices by API version or by a custom condition are not seen: such routes declare
 * their vary-by headers. Stateless.
 */
final class SelectingHeaders {
  /** A pattern variable's name, after its brace and optional {@code *}. */
  private static final Pattern VARIABLE_NAME = Pattern.compile("\\{(\\*?)[A-Za-z_][A-Za-z0-9_]*(?=[:}])");

  private SelectingHeaders() {}

  /**
   * The selecting headers of {@code method}'s paths, lower case and sorted; often none. A
   * handler that takes a {@code Locale} varies by {@code Accept-Language} too.
   *
   * @param converters the message converters that write handlers' bodies, in Spring's order
   */
  static List<String> of(
      Method method, List<RequestMappingHandlerMapping> mappings, List<HttpMessageConverter<?>> converters) {
    Set<String> names = new TreeSet<>();
    for (RequestMappingHandlerMapping mapping : mappings) {
      var handlers = mapping.getHandlerMethods();
      handlers.forEach((info, handler) -> {
        if (!handler.getMethod().equals(method)) {
          return;
        }
        Set<String> paths = shapes(info);
        List<RequestMappingInfo> competing = handlers.keySet().stream()
            .filter(other -> readable(other) && !Collections.disjoint(paths, shapes(other)))
            .toList();
        if (competing.size() > 1) {
          competing.forEach(other -> addSelecting(other, names));
        }
        if (info.getProducesCondition().getExpressions().size() > 1
            || (!oneRepresentation(info) && ConvertedMediaTypes.of(handler, converters).size() > 1)) {
          names.add("accept"); // one handler, several representations
        }
      });
    }
    for (Class<?> type : method.getParameterTypes()) {
      if (type == java.util.Locale.class) {
        // Spring resolves it from Accept-Language by default: the answer may depend on it.
        names.add("accept-language");
      }
    }
    return List.copyOf(names);
  }

  /**
   * The patterns of {@code info} without their variables' names: {@code /r/{id}} and
   * {@code /r/{reportId}} match the same paths (a variable's regex, which changes what it
   * matches, is kept).
   */
  private static Set<String> shapes(RequestMappingInfo info) {
    Set<String> shapes = new HashSet<>();
    for (String pattern : info.getPatternValues()) {
      shapes.add(VARIABLE_NAME.matcher(pattern).replaceAll("{$1"));
    }
    return shapes;
  }

  /** Whether {@code info}'s {@code produces} names exactly one concrete media type. */
  private static boolean oneRepresentation(RequestMappingInfo info) {
    Set<MediaTypeExpression> produces = info.getProducesCondition().getExpressions();
    if (produces.size() != 1) {
      return false;
    }
    MediaTypeExpression only = produces.iterator().next();
    return !only.isNegated() && only.getMediaType().isConcrete();
  }

  /** Whether {@code info} can answer a {@code GET} or {@code HEAD}. */
  static boolean readable(RequestMappingInfo info) {
    Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
    return methods.isEmpty() || methods.contains(RequestMethod.GET) || methods.contains(RequestMethod.HEAD);
  }

  private static void addSelecting(RequestMappingInfo info, Set<String> names) {
    if (!info.getProducesCondition().isEmpty()) {
      names.add("accept");
    }
    if (!info.getConsumesCondition().isEmpty()) {
      names.add("content-type");
    }
    for (NameValueExpression<String> header : info.getHeadersCondition().getExpressions()) {
      names.add(header.getName().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
