package dev.cachet;

/**
 * Computes a value on a miss and decides whether, and how, it is cached: the form the HTTP layer
 * uses, since whether a response may be stored is known only once it is produced.
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface EntryLoader<V> {
  Loaded<V> load() throws Exception;
}
