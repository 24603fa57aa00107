package dev.cachet;

/**
 * What {@link Cachet#deleteByPatternReporting} did. Immutable.
 *
 * @param deleted the number of entries removed (when the namespace was invalidated instead,
 *     those removed before the scan failed)
 * @param namespaceInvalidated whether the store could not be scanned to the end, so that the
 *     whole namespace was invalidated instead, as by {@link Cachet#clear()} (kept for replay
 *     while the store is unreachable)
 */
public record PatternDeletion(long deleted, boolean namespaceInvalidated) {}
