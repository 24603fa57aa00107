package dev.cachet.spring.internal;

import dev.cachet.CachePolicy;
import dev.cachet.Codec;
import dev.cachet.http.Template;
import dev.cachet.internal.RateLimitedLog;
import dev.cachet.spring.Cached;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.ResolvableType;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.type.TypeFactory;

/**
 * What {@link Cached} on one method means, worked out once when the bean is proxied: key and tag
 * templates (checked against the parameters), the policy, and a JSON codec for the return type.
 * Immutable and thread-safe.
 */
final class CachedMethod {
  /** How the method returns its value. */
  enum Kind {
    PLAIN,
    OPTIONAL,
    FUTURE
  }

  final Kind kind;
  final Codec<Object> codec;
  /** The type of the values cached: the return type, out of its {@code Optional} or future. */
  final JavaType valueType;
  /** This method's warnings about what it cannot cache: at most one a minute. */
  final RateLimitedLog warnings = new RateLimitedLog(Clock.systemUTC(), Duration.ofMinutes(1));
  private final MethodArguments arguments;
  private final @Nullable Template key;
  private final List<Template> tags;
  private final CachePolicy basePolicy;
  private final ObjectMapper keyMapper;

  /**
   * @param method the method as the target class has it (its most specific form)
   * @param targetClass the user class of the bean; type variables of the return type are resolved
   *     against it, so {@code List<T>} inherited by a {@code Repo<User>} decodes as {@code List<User>}
   */
  CachedMethod(
      Method method, Class<?> targetClass, Cached cached, Duration defaultTtl, ObjectMapper valueMapper,
      ObjectMapper keyMapper, Predicate<Class<?>> isBeanType) {
    this.arguments = new MethodArguments(method, targetClass, isBeanType);
    this.keyMapper = keyMapper;
    Class<?> raw = method.getReturnType();
    if (raw == void.class || raw == Void.class) {
      throw new IllegalStateException("@Cached on " + arguments.description() + ": a void method has nothing to cache");
    }
    ResolvableType valueType = ResolvableType.forMethodReturnType(method, targetClass);
    if (Optional.class.equals(raw)) {
      kind = Kind.OPTIONAL;
      valueType = typeArgument(valueType.as(Optional.class));
    } else if (CompletionStage.class.isAssignableFrom(raw)) {
      kind = Kind.FUTURE;
      valueType = typeArgument(valueType.as(CompletionStage.class));
    } else {
      kind = Kind.PLAIN;
    }
    ValueTypes.check(valueType, "@Cached on " + arguments.description() + ": ", valueMapper);
    this.valueType = javaType(valueMapper.getTypeFactory(), valueType);
    this.codec = new ShapedJsonCodec(valueMapper, this.valueType, arguments.description(), warnings);
    this.key = cached.key().isEmpty() ? null : parse(cached.key(), "@Cached key");
    List<String> beanTyped = arguments.beanTypedParameters();
    if (key == null && !beanTyped.isEmpty()) {
      // Its JSON may leave out what tells two apart, and a bean of its type hints that it often
      // stands for a context (a tenant, a region): declaring what identifies it is the caller's call.
      throw new IllegalStateException("@Cached on " + arguments.description() + ": the default key cannot take "
          + String.join("; ", beanTyped) + ", a type the application context has a bean of; declare a key"
          + " template naming what identifies it, e.g. @Cached(key = \"...:{tenant.id}\")");
    }
    if (key == null) {
      arguments.forEachKeyParameter((type, name) ->
          DefaultKeyCheck.check(type, name, keyMapper, "@Cached on " + arguments.description() + ": "));
    }
    this.tags = new ArrayList<>();
    for (String tag : cached.tags()) {
      tags.add(parse(tag, "@Cached tag"));
    }
    this.basePolicy = policy(cached, defaultTtl);
  }

  private Template parse(String source, String where) {
    Template t;
    try {
      t = Template.of(source);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(where + " on " + arguments.description() + ": " + e.getMessage(), e);
    }
    arguments.check(t, where);
    return t;
  }

  private CachePolicy policy(Cached cached, Duration defaultTtl) {
    String where = "@Cached on " + arguments.description();
    try {
      CachePolicy.Builder b = CachePolicy.builder()
          .ttl(cached.ttl().isEmpty() ? defaultTtl : DurationStyle.detectAndParse(cached.ttl()));
      if (cached.jitter() != 0) {
        b.jitter(cached.jitter());
      }
      if (cached.refreshAhead() != 0) {
        b.refreshAhead(cached.refreshAhead());
      }
      Duration staleWhileRevalidate = window(cached.staleWhileRevalidate());
      if (staleWhileRevalidate != null) {
        b.staleWhileRevalidate(staleWhileRevalidate);
      }
      Duration staleIfError = window(cached.staleIfError());
      if (staleIfError != null) {
        b.staleIfError(staleIfError);
      }
      return b.distributedLock(cached.lock()).build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalStateException(where + ": " + e.getMessage(), e);
    }
  }

  /** A stale window as written: {@code null} (off) when empty or zero, as {@link CachePolicy} means. */
  private static @Nullable Duration window(String text) {
    if (text.isEmpty()) {
      return null;
    }
    Duration d = DurationStyle.detectAndParse(text);
    return d.isZero() ? null : d;
  }

  private ResolvableType typeArgument(ResolvableType container) {
    if (!container.hasGenerics()) {
      throw new IllegalStateException(
          "@Cached on " + arguments.description() + ": declare the value type of " + container);
    }
    return container.getGeneric(0);
  }

  /** Jackson's form of a resolved type, generics included at every depth. */
  private static JavaType javaType(TypeFactory types, ResolvableType type) {
    if (type.isArray()) {
      return types.constructArrayType(javaType(types, type.getComponentType()));
    }
    Class<?> raw = type.resolve(Object.class); // an unresolvable variable is what Jackson would make of it
    if (!type.hasGenerics()) {
      return types.constructType(raw);
    }
    ResolvableType[] generics = type.getGenerics();
    JavaType[] arguments = new JavaType[generics.length];
    for (int i = 0; i < generics.length; i++) {
      arguments[i] = javaType(types, generics[i]);
    }
    return types.constructParametricType(raw, arguments);
  }

  /** The key template as written, or {@code null} for the default key. */
  @Nullable String keySource() {
    return key == null ? null : key.source();
  }

  /** The cache key for one call. */
  String key(@Nullable Object[] args) {
    if (key != null) {
      return arguments.render(key, args, keyMapper);
    }
    return arguments.keyPrefix() + keyMapper.writeValueAsString(arguments.keyArguments(args));
  }

  /** The policy for one call, with its tags rendered. */
  CachePolicy policy(@Nullable Object[] args) {
    if (tags.isEmpty()) {
      return basePolicy;
    }
    List<String> rendered = new ArrayList<>(tags.size());
    for (Template t : tags) {
      rendered.add(arguments.render(t, args, keyMapper));
    }
    return basePolicy.toBuilder().tags(rendered).build();
  }

  String description() {
    return arguments.description();
  }
}
