package dev.cachet.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by {@code EVALSHA}, falling back to {@code EVAL} when the server does not have
 * it cached ({@code NOSCRIPT}: after a restart, a failover, or on a cluster node that never saw
 * it), which also loads it for the next call. Every script touches exactly the keys it declares,
 * all in one slot, so it runs unchanged on a cluster. Immutable and thread-safe.
 */
final class Script {
  /**
   * Sets {@code KEYS[1]} to {@code ARGV[1]} for {@code ARGV[2]} ms unless it holds a version, and
   * returns the version now stored. A value that is not a version is replaced, as if absent: the
   * test is {@link Versions#isValid}'s, a non-zero decimal {@code long} without leading zeros
   * (a value the script kept but Java read as absent would block every write of its tag).
   */
  static final Script SET_VERSION_IF_ABSENT =
      new Script(
          """
          local v = redis.call('GET', KEYS[1])
          if v and string.match(v, '^%-?[1-9]%d*$') then
            local digits = string.match(v, '%d+')
            local limit = '9223372036854775807'
            if string.sub(v, 1, 1) == '-' then limit = '9223372036854775808' end
            if #digits < 19 or (#digits == 19 and digits <= limit) then
              return v
            end
          end
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return ARGV[1]
          """);

  /** Deletes the lock {@code KEYS[1]} if it still holds the token {@code ARGV[1]}. */
  static final Script COMPARE_AND_DELETE =
      new Script(
          """
          if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('DEL', KEYS[1])
          end
          return 0
          """);

  private final String source;
  private final String sha1;

  private Script(String source) {
    this.source = source;
    this.sha1 = sha1(source);
  }

  String sha1() {
    return sha1;
  }

  <T> T run(
      RedisClusterAsyncCommands<String, byte[]> commands, Await await, ScriptOutputType type,
      String key, byte[]... args) {
    String[] keys = {key};
    try {
      return await.result(commands.<T>evalsha(sha1, type, keys, args));
    } catch (RedisNoScriptException e) {
      return await.result(commands.<T>eval(source, type, keys, args));
    }
  }

  /**
   * Runs the script once per key of {@code keys}, with the arguments at the same index of
   * {@code args}, all sent before any reply is awaited: one round trip of latency. A server that
   * lacks the script gets it by {@code EVAL}, key by key.
   */
  <T> List<T> runEach(
      RedisClusterAsyncCommands<String, byte[]> commands, Await await, ScriptOutputType type,
      List<String> keys, List<byte[][]> args) {
    List<RedisFuture<T>> sent = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      sent.add(commands.<T>evalsha(sha1, type, new String[] {keys.get(i)}, args.get(i)));
    }
    List<T> replies = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      try {
        replies.add(await.result(sent.get(i)));
      } catch (RedisNoScriptException e) {
        replies.add(await.result(commands.<T>eval(source, type, new String[] {keys.get(i)}, args.get(i))));
      }
    }
    return replies;
  }

  private static String sha1(String source) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
