package dev.cachet.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A plain Lettuce connection for tests to inspect and poke a server (not the store under test). */
final class RedisAdmin implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  RedisAdmin(RedisServerProcess server) {
    this.client = RedisClient.create(server.uri());
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

  @Override
  public void close() {
    connection.close();
    client.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
