package dev.cachet;

/**
 * Computes a value on a miss and decides whether, and how, it is cached: the form the HTTP layer
 * uses, since whether a response may be stored is known only once it is produced. Called as a
 * {@link CacheLoader} is: on the calling thread or, for a background refresh, on the refresh
 * executor, and possibly on several threads at once.
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface EntryLoader<V> {
  Loaded<V> load() throws Exception;
}
