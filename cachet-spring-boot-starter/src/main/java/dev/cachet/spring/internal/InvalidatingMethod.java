package dev.cachet.spring.internal;

import dev.cachet.http.Template;
import dev.cachet.spring.InvalidateCache;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

/**
 * What {@link InvalidateCache} on one method means: its templates, checked against the method's
 * parameters when the bean is proxied. Immutable and thread-safe.
 */
final class InvalidatingMethod {
  private final MethodArguments arguments;
  private final ObjectMapper keyMapper;
  private final List<Template> tags = new ArrayList<>();
  private final List<Template> keys = new ArrayList<>();
  private final List<Template> patterns = new ArrayList<>();

  InvalidatingMethod(
      Method method, Class<?> targetClass, InvalidateCache annotation, ObjectMapper keyMapper,
      Predicate<Class<?>> isBeanType) {
    this.arguments = new MethodArguments(method, targetClass, isBeanType);
    this.keyMapper = keyMapper;
    add(annotation.tags(), tags, "@InvalidateCache tag");
    add(annotation.keys(), keys, "@InvalidateCache key");
    add(annotation.patterns(), patterns, "@InvalidateCache pattern");
  }

  private void add(String[] sources, List<Template> into, String where) {
    for (String source : sources) {
      Template t;
      try {
        t = Template.of(source);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(where + " on " + arguments.description() + ": " + e.getMessage(), e);
      }
      arguments.check(t, where);
      into.add(t);
    }
  }

  RenderedInvalidation render(@Nullable Object[] args) {
    return new RenderedInvalidation(render(tags, args), render(keys, args), render(patterns, args));
  }

  private List<String> render(List<Template> templates, @Nullable Object[] args) {
    List<String> out = new ArrayList<>(templates.size());
    for (Template t : templates) {
      out.add(arguments.render(t, args, keyMapper));
    }
    return out;
  }

  String description() {
    return arguments.description();
  }
}
