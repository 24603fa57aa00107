package dev.cachet.spring;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A test class's Spring Boot application on a free loopback port, started before its tests and
 * closed after them ({@code @RegisterExtension static final RunningApp app = ...}), and a real
 * HTTP/1.1 client for it.
 */
public final class RunningApp implements BeforeAllCallback, AfterAllCallback {
  private final Supplier<ConfigurableApplicationContext> starter;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
  private @Nullable ConfigurableApplicationContext context;

  private RunningApp(Supplier<ConfigurableApplicationContext> starter) {
    this.starter = starter;
  }

  /** {@code configuration} with {@code properties} (key=value), run for the test class's tests. */
  public static RunningApp perClass(Class<?> configuration, String... properties) {
    return new RunningApp(() -> run(configuration, properties));
  }

  /** The servlet application {@code starter} starts on a free loopback port, run for the test class's tests. */
  public static RunningApp perClass(Supplier<ConfigurableApplicationContext> starter) {
    return new RunningApp(starter);
  }

  @Override
  public void beforeAll(ExtensionContext extension) {
    context = starter.get();
  }

  @Override
  public void afterAll(ExtensionContext extension) {
    if (context != null) {
      context.close();
    }
  }

  /** The running application's context. */
  public ConfigurableApplicationContext context() {
    return Objects.requireNonNull(context, "the application runs only during its test class");
  }

  /** The port it listens on. */
  public int port() {
    return ((WebServerApplicationContext) context()).getWebServer().getPort();
  }

  /** Runs {@code configuration} as a servlet application on a free loopback port, quietly. */
  public static ConfigurableApplicationContext run(Class<?> configuration, String... properties) {
    return application(configuration, properties).run();
  }

  /** {@code configuration} as a servlet application on a free loopback port, quiet, not yet run. */
  public static SpringApplication application(Class<?> configuration, String... properties) {
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("server.port", "0");
    defaults.put("server.address", "127.0.0.1");
    defaults.put("spring.main.banner-mode", "off");
    defaults.put("logging.level.root", "warn");
    for (String p : properties) {
      int eq = p.indexOf('=');
      defaults.put(p.substring(0, eq), p.substring(eq + 1));
    }
    SpringApplication app = new SpringApplication(configuration);
    app.setWebApplicationType(WebApplicationType.SERVLET);
    app.setDefaultProperties(defaults);
    return app;
  }

  /** Sends {@code method path} without a body, with {@code headers} as name, value pairs. */
  public HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    return client.send(request(method, path, headers), HttpResponse.BodyHandlers.ofString());
  }

  /** {@link #send}, without waiting for the answer. */
  public CompletableFuture<HttpResponse<String>> sendAsync(String method, String path, String... headers) {
    return client.sendAsync(request(method, path, headers), HttpResponse.BodyHandlers.ofString());
  }

  /** The request {@link #send} sends: to this application, 10 s at most. */
  public HttpRequest request(String method, String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
        .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return request.build();
  }

  /** The client {@link #send} uses (HTTP/1.1). */
  public HttpClient client() {
    return client;
  }

  /** Sends {@code GET path} with {@code headers} as name, value pairs. */
  public HttpResponse<String> get(String path, String... headers) throws Exception {
    return send("GET", path, headers);
  }
}
