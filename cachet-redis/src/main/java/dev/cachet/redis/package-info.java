/**
 * The Redis store for Cachet: {@link dev.cachet.redis.RedisStore}, on Lettuce.
 *
 * <p><b>Data layout.</b> Entries are plain strings with a {@code PX} expiry. Versions are signed
 * decimal integers (as {@code INCR} writes them, readable with {@code redis-cli}) with the version
 * TTL Cachet passes (the namespace version's is a century); a read does not extend it, a load
 * that finds one does, now and then ({@code touchVersions}: {@code PEXPIRE}). {@code setVersionIfAbsent} and lock release are
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
 * the other in node-id order and the cursor is {@code <nodeId>:<node cursor>:<layout>}; if that
 * node no longer serves slots the scan starts over (keys may be listed twice, never missed). A
 * slot moved during the scan from a master not yet visited to one already visited would carry its
 * keys past it, so the scan reads the slot layout (each master's own {@code CLUSTER NODES} line,
 * all masters asked at once) when it starts and when its last master is done: a layout that
 * changed, or a slot still migrating, ends it with
 * {@link dev.cachet.store.IncompleteScanException} instead of a last page (a pattern delete then
 * invalidates the namespace; a key listing starts over).
 *
 * <p><b>Incarnations.</b> A Redis that persists comes back from a crash with its last snapshot
 * (RDB) or append-only file: tag and namespace versions from before the invalidations it
 * acknowledged since, and the entries they validated; a promoted replica may lack the last ones
 * (replication is asynchronous). So the store learns each server's {@code run_id} ({@code INFO
 * server}) on every connect, the master's or, on a cluster, every master's on the connection
 * keyed commands use, and reports them as {@code CacheStore#incarnation}; the core then
 * invalidates each namespace once per new incarnation before it trusts what it reads. A connection
 * made again is of an unknown incarnation until its server answered, and a read that spans that
 * fails (a miss), so no reply of a restored server passes for the old one's.
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
