/**
 * The Redis store for Cachet: {@link dev.cachet.redis.RedisStore}, on Lettuce.
 *
 * <p><b>Data layout.</b> Entries are plain strings with a {@code PX} expiry. Versions are signed
 * decimal integers (as {@code INCR} writes them, readable with {@code redis-cli}) with the version
 * TTL Cachet passes; a read does not extend it. {@code setVersionIfAbsent} and lock release are
 * one-key Lua scripts run by {@code EVALSHA}, falling back to {@code EVAL} on {@code NOSCRIPT};
 * locks are {@code SET key token NX PX lease}; deletes use {@code UNLINK}. Reads go to masters
 * only: a replica lags, and a lagging version read is a stale hit.
 *
 * <p><b>Round trips.</b> A hit reads the entry and its versions (the namespace version and two
 * keys per tag) with one {@code MGET}: one command and one round trip without the near cache;
 * none when all of them are near-cached, else one command for what is missing ({@code GET} of the
 * entry, {@code MGET} of versions, or both in one {@code MGET}). On a cluster, Lettuce splits the
 * {@code MGET} into one {@code MGET} per slot and sends them all before awaiting any, so it costs
 * one round trip of latency. Every script touches one key, so every command runs unchanged on a
 * cluster. Commands carry no Lettuce timer: each wait is bounded, and cancelled past the command
 * timeout, by the caller.
 *
 * <p><b>Scans</b> use {@code SCAN MATCH COUNT}. On a cluster the masters are scanned one after
 * the other in node-id order and the cursor is {@code <nodeId>:<node cursor>}; if that node no
 * longer serves slots the scan starts over (keys may be listed twice, never missed), but a scan
 * spanning a resharding may miss keys moved to a master it already visited.
 *
 * <p><b>Near cache.</b> A Caffeine cache, bounded in bytes, holds entry bytes and versions (the
 * hot keys: read on every hit that has tags). {@code CLIENT TRACKING on} in default mode on the
 * RESP3 command connection makes Redis push an {@code invalidate} message for each key this
 * connection read when any client changes it, deletes it, or it expires or is evicted; a
 * {@code null} message (a flush) empties the cache. Default mode rather than BCAST: each
 * instance then hears only about keys it read, while BCAST would send every write of the
 * namespace (every miss writes an entry) to every instance, and the store serves many namespaces
 * with no single prefix. A lost connection empties the cache and stops its use until tracking is
 * acknowledged on the new connection; and the cache is served only while the connection has
 * answered within the lease (1 s), so a silently broken connection or a hung server cannot make
 * it serve stale values for longer. An instance's own writes evict at once. See {@code
 * NearCache} for the races this closes.
 *
 * <p><b>Near cache on a cluster.</b> Lettuce sends each keyed read, and follows MOVED and ASK
 * redirects, on its pooled connection to a master (RESP3, like every node connection), opening
 * such connections by itself. Which one carried a read is not known, so the rules hold for every
 * node connection at once: the copy is used only while each node connection that is up has
 * {@code CLIENT TRACKING on} acknowledged in its current session and, within the lease, answered
 * a {@code CLUSTER NODES} (sent past half of it) showing that the node serves exactly the slots
 * the client routes to it and migrates none; and while no connection of the client is open that
 * has not been recognised as a tracked master connection (each new connection advances the
 * epoch, so a reply it carries is not cached). A node connection lost, a topology change, or a
 * node whose slots differ empties the whole copy. Invalidation pushes arrive on the node
 * connection that tracked the key; a {@code MIGRATE} deletes the key on the source, which pushes
 * its invalidation. A key read as absent from a slot's old master and written on its new one
 * draws no invalidation: the slot check bounds that by the lease. See {@code ClusterTracking}.
 *
 * <p><b>Evictions.</b> {@code evictionCount()} is the server's {@code evicted_keys} (summed over
 * masters): what an operator sizing {@code maxmemory} needs, though it counts every key the
 * server evicted, the cache's and any other application's.
 */
@NullMarked
package dev.cachet.redis;

import org.jspecify.annotations.NullMarked;
