package dev.cachet.demo;

import dev.cachet.Cachet;
import dev.cachet.store.CacheStore;
import dev.cachet.store.FallbackStore;
import dev.cachet.testing.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * One running demo application on a random port, on Redis, called over real HTTP. Instances of a
 * test share one {@link SpaceRepository}, as application instances share one database, and one
 * {@link HandlerGate}. Thread-safe once started.
 */
final class DemoInstance implements AutoCloseable {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
  /** The admin API's bearer token in these tests. */
  static final String ADMIN_TOKEN = "cachet-demo-multi-instance-test-token-0123456789";

  private final String name;
  private final ConfigurableApplicationContext context;
  private final int port;
  private final HttpClient client;

  private DemoInstance(String name, ConfigurableApplicationContext context) {
    this.name = name;
    this.context = context;
    this.port = Objects.requireNonNull(
        context.getEnvironment().getProperty("local.server.port", Integer.class), "local.server.port");
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  /**
   * Starts the demo on {@code redisUri} with the default Redis settings (near cache on, memory
   * fallback on), plus {@code extraArgs} ({@code --name=value}).
   */
  static DemoInstance start(
      String name, String redisUri, String namespace, SpaceRepository database, HandlerGate gate,
      String... extraArgs) {
    List<String> args = new ArrayList<>(List.of(
        "--spring.application.name=" + name,
        "--spring.main.banner-mode=off",
        "--server.port=0",
        "--cachet.store=redis",
        "--cachet.redis.url=" + redisUri,
        "--cachet.namespace=" + namespace,
        "--demo.it.cluster-routes=true",
        "--cachet.admin.token=" + ADMIN_TOKEN,
        // Lettuce reports each reconnect attempt while Redis is down on purpose.
        "--logging.level.io.lettuce.core.protocol=ERROR"));
    args.addAll(List.of(extraArgs));
    ConfigurableApplicationContext context = new SpringApplicationBuilder(DemoApplication.class)
        .initializers(c -> {
          // Registered before the component scan, which then leaves out its own SpaceRepository.
          GenericApplicationContext g = (GenericApplicationContext) c;
          g.registerBean("spaceRepository", SpaceRepository.class, () -> database);
          g.registerBean(HandlerGate.class, () -> gate);
        })
        // Command-line arguments: they take precedence over the demo's application.properties.
        .run(args.toArray(String[]::new));
    return new DemoInstance(name, context);
  }

  String name() {
    return name;
  }

  Cachet cachet() {
    return context.getBean(Cachet.class);
  }

  /** The store the starter built: Redis behind a {@link FallbackStore} (the default). */
  FallbackStore store() {
    return (FallbackStore) context.getBean(CacheStore.class);
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  /** {@code GET path} with the admin API's bearer token. */
  HttpResponse<String> getAsAdmin(String path) {
    return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + ADMIN_TOKEN).GET());
  }

  HttpResponse<String> post(String path) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  HttpResponse<String> put(String path, String json) {
    return send(HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends {@code GET path} without waiting. */
  CompletableFuture<HttpResponse<String>> getAsync(String path) {
    return client.sendAsync(
        HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Polls until {@code path}, read here, is then a HIT on {@code other} twice in a row (the
   * second from its near cache). On a busy machine a store command can time out (250 ms by
   * default) and the entry then lands in the instance's local fallback instead of Redis.
   */
  void untilSharedWith(DemoInstance other, String path) {
    Poll.until(Duration.ofSeconds(10), path + " stored by " + this + " to be a HIT on " + other, () -> {
      get(path);
      return xCache(other.get(path)).equals("HIT") && xCache(other.get(path)).equals("HIT");
    });
  }

  static String xCache(HttpResponse<?> response) {
    return response.headers().firstValue("X-Cache").orElse("none");
  }

  @Override
  public void close() {
    context.close();
  }

  @Override
  public String toString() {
    return name + "@" + port;
  }
}
