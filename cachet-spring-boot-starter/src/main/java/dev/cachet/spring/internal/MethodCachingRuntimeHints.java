package dev.cachet.spring.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What method caching needs in a native image whatever the beans: spring-tx is looked up by name
 * to tell whether it is there, and a native image answers "absent" for a class it was not told
 * about, which would store values loaded inside read-write transactions. What each cached method
 * needs is registered by {@link CachetMethodsAotProcessor}.
 */
public final class MethodCachingRuntimeHints implements RuntimeHintsRegistrar {
  @Override
  public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
    hints.reflection().registerType(TypeReference.of(Transactions.SYNCHRONIZATION_CLASS));
  }
}
