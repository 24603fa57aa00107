package dev.cachet.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** A plain Lettuce connection for tests to inspect and poke a server (not the store under test). */
final class RedisAdmin implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  RedisAdmin(RedisServerProcess server) {
    this(server.uri());
  }

  /** A connection to {@code uri}, which may carry a password ({@code redis://:pw@host:port}). */
  RedisAdmin(String uri) {
    this(uri, null);
  }

  /** As {@link #RedisAdmin(String)}, trusting what {@code ssl} trusts for a {@code rediss://} URI. */
  RedisAdmin(String uri, @Nullable SslOptions ssl) {
    this.client = RedisClient.create(uri);
    if (ssl != null) {
      client.setOptions(ClientOptions.builder().sslOptions(ssl).build());
    }
    this.connection = client.connect();
    this.connection.setTimeout(Duration.ofSeconds(5));
  }

  RedisCommands<String, String> redis() {
    return connection.sync();
  }

  /** Calls of {@code command} so far, refused ones included, from {@code INFO commandstats}. */
  long calls(String command) {
    String prefix = "cmdstat_" + command + ":";
    for (String line : redis().info("commandstats").split("\r?\n")) {
      if (line.startsWith(prefix)) {
        long total = 0;
        for (String field : line.substring(prefix.length()).split(",")) {
          String[] kv = field.split("=");
          if (kv[0].equals("calls") || kv[0].equals("rejected_calls") || kv[0].equals("failed_calls")) {
            total += Long.parseLong(kv[1].trim());
          }
        }
        return total;
      }
    }
    return 0;
  }

  /**
   * Calls per command so far ({@code INFO commandstats}, lower case, refused ones included),
   * leaving out {@code info}, which this class sends itself.
   */
  java.util.Map<String, Long> callsByCommand() {
    java.util.Map<String, Long> calls = new java.util.TreeMap<>();
    for (String line : redis().info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")) {
        String command = line.substring("cmdstat_".length(), line.indexOf(':'));
        calls.put(command, calls(command));
      }
    }
    return calls;
  }

  /** The commands whose calls changed from {@code before} to {@code after}, with the change. */
  static java.util.Map<String, Long> delta(java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
    java.util.Map<String, Long> changed = new java.util.TreeMap<>();
    after.forEach((command, n) -> {
      long d = n - before.getOrDefault(command, 0L);
      if (d != 0) {
        changed.put(command, d);
      }
    });
    return changed;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
