/**
 * {@link dev.cachet.benchmarks.redis.TagInvalidationVsClear}: the time of a Cachet tag
 * invalidation on a real Redis server against Spring Data Redis's {@code cache.clear()}. Run from
 * the {@code -http.jar} by {@code cachet-benchmarks/store-bench.sh}; see {@code docs/benchmarks.md}.
 */
@NullMarked
package dev.cachet.benchmarks.redis;

import org.jspecify.annotations.NullMarked;
