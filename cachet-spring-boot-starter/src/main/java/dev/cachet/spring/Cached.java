package dev.cachet.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches a bean method's result through the application's {@code Cachet}, encoded as JSON (generic
 * return types included). Concurrent calls with the same key run the method once.
 *
 * <p>The key is {@link #key()} rendered with the method's arguments, by parameter name
 * ({@code {id}}, {@code {user.id}} for a property) or position ({@code {p0}}). Without a template
 * it is the fully qualified name of the bean's class (the class the bean is, even where it
 * inherits the method), the method's name, its parameter types and the JSON of the arguments, as in
 * {@code com.example.UserService.find(long,java.lang.String)[7,"ada"]}: distinct for every bean
 * class and every overload. The framework's injected parameters (servlet requests, responses and
 * sessions, web requests, models, binding errors, redirect attributes, streams, readers and
 * writers) never enter a default key, and a template may not name them. Every other argument is
 * data: a parameter of a type the application context has a bean of (a {@code Tenant} with a
 * default bean) fails the start-up of a method with a default key, whose JSON might not tell two
 * tenants apart, and a template may name it ({@code key = "orders:{tenant.id}"}). Since a default
 * key is the arguments' JSON, a parameter whose declared type (a concrete class of the
 * application) has an instance field that its JSON leaves out (no getter, {@code @JsonIgnore}; not
 * {@code static} or {@code transient}), or whose JSON has no properties at all, fails the start-up
 * naming the field: declare a template naming what identifies it. Templates are checked when the bean is created: an unknown placeholder, or a property
 * that the parameter's declared type lacks ({@code {user.nmae}}), fails the start-up, not a
 * request. A property is a record component or a public {@code name()}, {@code getName()} or
 * {@code isName()}; where the declared type is an interface, an abstract class, {@code Object} or a
 * map, the rest of its path can only be read at each call. A placeholder's value enters the key
 * as its text when it is a string, number, boolean, character, enum (its name), UUID or
 * {@code java.time} value, and as its JSON otherwise (a list, an array, a record), so that values
 * that print alike never share a key and equal arrays do.
 *
 * <p>Keys are one space for every method: two methods whose templates render the same keys
 * ({@code user:{id}} and {@code user:{userId}}) fail the start-up when their values are of
 * different types, since each would overwrite the other's entries, and are logged as a warning
 * when they are of one type (two methods may be meant to read one cache).
 *
 * <p>The value is JSON of the return type as the bean's class sees it: a {@code List<T>} inherited
 * from a {@code Repository<User>} is read back as a {@code List<User>}, and it is written as that
 * type too, by the cache's own copy of the application's {@code JsonMapper}, made to round-trip:
 * it keeps properties the application's JSON leaves out ({@code @JsonIgnore}, {@code WRITE_ONLY})
 * and every date's zone and offset, so a hit equals what the method returned. A value of a
 * subclass of a concrete declared type without {@code @JsonTypeInfo}, which a hit would return
 * as the declared class, is returned uncached, with a warning at most once a minute. Written as
 * that type, the elements of a {@code List<Shape>} (or a {@code Map}, a generic page, a future
 * of them) of a {@code @JsonTypeInfo} type keep their type ids. The entry is labelled with
 * the shape of that type (its classes' fields, names and types, at every depth), so that after a
 * deploy that changed the shape, old entries are misses rather than values with fields left
 * {@code null}. A return type JSON cannot be read back as fails the start-up, naming the method
 * and the type: {@code Object} (and a raw {@code Optional}) as the value or as a property of it,
 * and, anywhere in the type (its generics, and the properties Jackson writes of its classes,
 * record components or fields, at every depth), an interface or abstract class of the
 * application without {@code @JsonTypeInfo}, a map whose keys are not text, a primitive, a
 * number, an enum, a UUID, a locale, a currency, a URI or a {@code java.time} value, and the
 * JDK's types that are not data ({@code Stream} and the other {@code BaseStream}s,
 * {@code Iterator}, {@code Spliterator}, an {@code Iterable} that is not a collection, a
 * {@code Future} that is not a {@code CompletionStage}, anything of {@code java.util.function})
 * or that JSON reads back as another class (the abstract types of {@code java.lang},
 * {@code java.io} and {@code java.time}, such as {@code Number} and {@code CharSequence}).
 * {@code Object} inside a JDK container ({@code Map<String, Object>}) is read back as JSON maps
 * and lists, as meant. A value that still cannot be written as JSON at a call (a cycle), or an
 * entry that cannot be read back, is not cached: the call returns the method's value, and a
 * warning naming the method is logged at most once a minute.
 *
 * <p>Like Spring's own caching annotations, this works through the bean's proxy: a call from
 * another method of the same bean ({@code this.find(id)}) runs the method uncached. A
 * {@code final}, {@code private} or {@code static} method, which the proxy cannot intercept, fails
 * the start-up (as does {@link InvalidateCache} there).
 *
 * <p>{@code null} and empty {@code Optional} results are returned, not cached. Methods returning
 * {@code CompletableFuture} or {@code CompletionStage} are cached by their completed value.
 *
 * <p>Inside Spring transactions: the cache is consulted before the method's own transaction
 * starts (a hit opens none), and its value is stored after that transaction committed. Called
 * inside a read-write transaction it joins, the method's value is returned but not stored, since
 * the rows it read may still roll back; an entry answers there only while that transaction has
 * invalidated nothing. Read-only transactions use the cache as usual.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Cached {
  /** Key template; empty for the default key. */
  String key() default "";

  /** Time to live, e.g. {@code 30s}, {@code 5m}, {@code PT1H}; empty for {@code cachet.default-ttl}. */
  String ttl() default "";

  /** Tag templates, e.g. {@code user:{id}}, for invalidation. */
  String[] tags() default {};

  /** Fraction of the TTL after which a hit refreshes in the background; 0 is off. */
  double refreshAhead() default 0;

  /** Fraction by which each TTL is randomly shortened; 0 is off. */
  double jitter() default 0;

  /** Serialize misses across instances with a store lock (Redis, Memcached). */
  boolean lock() default false;

  /** Serve stale this long after the TTL while refreshing; empty or zero is off. */
  String staleWhileRevalidate() default "";

  /** Serve stale this long after the TTL when the method throws; empty or zero is off. */
  String staleIfError() default "";
}
