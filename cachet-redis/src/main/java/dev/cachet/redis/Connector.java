package dev.cachet.redis;

import dev.cachet.store.ScanPage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

/**
 * One Lettuce connection (standalone or cluster), opened on first use rather than at build time,
 * so that an application starts while Redis is down; a failed attempt is retried by a later call.
 * Once open, Lettuce reconnects it by itself. Implementations are thread-safe.
 */
interface Connector extends AutoCloseable {

  /**
   * The connection's commands, connecting first if needed.
   *
   * @throws io.lettuce.core.RedisConnectionException when no connection can be made now
   */
  RedisClusterAsyncCommands<String, byte[]> commands();

  /** One page of a {@code SCAN} over every master; see {@code CacheStore#scan}. */
  ScanPage scan(String pattern, @Nullable String cursor, int count);

  /**
   * What {@code CacheStore#incarnation} reports: the run ids of the servers read from, as one
   * non-zero number that changes with any of them; {@code 0} before the first connect, or when
   * the servers refuse {@code INFO}. A field read.
   */
  long incarnation();

  /**
   * The incarnation that replies come from now: read before a command is sent and after its
   * reply came, so that a reply that may come from a server of another incarnation than the one
   * reported (a connection made again, whose server has not said its run id yet) is never
   * returned.
   *
   * @throws io.lettuce.core.RedisConnectionException while a server read from is of an unknown
   *     incarnation
   */
  long readableIncarnation();

  /** The sum of {@code evicted_keys} from {@code INFO stats} over every master. */
  long evictedKeys();

  /**
   * Closes the current connection, keeping the client, so that the next call connects afresh: for
   * a connection that is open but whose replies stopped coming (a peer that vanished without a
   * reset), which the client would otherwise keep matching new requests against forever. Does
   * nothing, without waiting, while another caller makes a new connection or the connector
   * closes.
   */
  void dropConnection();

  /** Closes the connection and the client, never touching the data. Idempotent. */
  @Override
  void close();
}
