/**
 * The Memcached store for Cachet: {@link dev.cachet.memcached.MemcachedStore}, built with
 * {@link dev.cachet.memcached.MemcachedStore#builder()}.
 */
@NullMarked
package dev.cachet.memcached;

import org.jspecify.annotations.NullMarked;
