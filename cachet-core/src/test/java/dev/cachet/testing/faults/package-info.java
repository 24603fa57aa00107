/**
 * Load-under-fault scenarios shared by the store modules' fault tests: a load driver with two
 * cache instances, a store wrapper that records when an invalidation reached the store, latency
 * histograms and figure tables.
 */
@NullMarked
package dev.cachet.testing.faults;

import org.jspecify.annotations.NullMarked;
