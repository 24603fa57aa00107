/**
 * JMH benchmarks of Cachet over its {@link dev.cachet.store.MemoryStore}, and
 * {@link dev.cachet.benchmarks.HeapOverhead}, a probe of the heap one cached entry costs. Run from
 * {@code target/benchmarks.jar}; see {@code docs/benchmarks.md} for commands and figures.
 */
@NullMarked
package dev.cachet.benchmarks;

import org.jspecify.annotations.NullMarked;
