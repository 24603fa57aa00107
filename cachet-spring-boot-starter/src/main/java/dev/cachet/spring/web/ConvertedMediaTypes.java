package dev.cachet.spring.web;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpEntity;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.method.HandlerMethod;

/**
 * The media types in which Spring MVC's message converters can write a handler method's body.
 *
 * <p>When there is more than one, Spring picks among them by the request's {@code Accept} with no
 * mapping condition and no {@code Vary} on the response: a handler returning a record answers a
 * browser in XML and an API client in JSON once an XML converter is on the class path, and a
 * {@code String} comes back as {@code text/plain} or {@code application/json}. Only bodies
 * written by converters count ({@code @ResponseBody}, {@code @RestController},
 * {@code HttpEntity}); views are rendered by other rules. Stateless.
 */
final class ConvertedMediaTypes {
  private ConvertedMediaTypes() {}

  /**
   * The concrete types ({@code type/subtype}, without parameters) the {@code converters} offer
   * for {@code handler}'s body, sorted; empty when it has none or is not written by converters.
   * A converter that cannot be asked is left out.
   */
  static Set<String> of(HandlerMethod handler, List<HttpMessageConverter<?>> converters) {
    Set<String> types = new TreeSet<>();
    Class<?> body = bodyClass(handler);
    if (body == null) {
      return types;
    }
    for (HttpMessageConverter<?> converter : converters) {
      try {
        if (!converter.canWrite(body, null)) {
          continue;
        }
        for (MediaType type : converter.getSupportedMediaTypes(body)) {
          if (type.isConcrete()) {
            types.add(type.getType() + "/" + type.getSubtype());
          }
        }
      } catch (RuntimeException e) {
        // A converter that fails to answer for this type would not write it either.
      }
    }
    return types;
  }

  /** The class converters are asked about, or null where no converter writes the body. */
  private static @Nullable Class<?> bodyClass(HandlerMethod handler) {
    MethodParameter returned = handler.getReturnType();
    Class<?> type = returned.getParameterType();
    if (type == void.class || type == Void.class) {
      return null;
    }
    if (HttpEntity.class.isAssignableFrom(type)) {
      // ResponseEntity<?> and raw types resolve to Object: the converters are asked about that.
      return ResolvableType.forMethodParameter(returned).as(HttpEntity.class).getGeneric(0).toClass();
    }
    boolean written = handler.hasMethodAnnotation(ResponseBody.class)
        || AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), ResponseBody.class);
    return written ? type : null;
  }
}
