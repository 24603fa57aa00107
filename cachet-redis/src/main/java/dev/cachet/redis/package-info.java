/**
 * The Redis store for Cachet: {@link dev.cachet.redis.RedisStore}, on Lettuce, for a standalone
 * server (optionally behind Sentinel) or a Redis Cluster, with a near cache kept coherent by
 * server-assisted client-side caching.
 */
@NullMarked
package dev.cachet.redis;

import org.jspecify.annotations.NullMarked;
