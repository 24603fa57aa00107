package dev.cachet.spring;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A test's Spring Boot application on a free loopback port, and a real HTTP/1.1 client for it. */
public final class RunningApp implements AutoCloseable {
  public final ConfigurableApplicationContext context;
  public final int port;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

  private RunningApp(ConfigurableApplicationContext context) {
    this.context = context;
    this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  /** Starts {@code configuration} with {@code properties} (key=value) on a free port. */
  public static RunningApp start(Class<?> configuration, String... properties) {
    return new RunningApp(run(configuration, properties));
  }

  /** Runs {@code configuration} as a servlet application on a free loopback port, quietly. */
  public static ConfigurableApplicationContext run(Class<?> configuration, String... properties) {
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
    return app.run();
  }

  /** Sends {@code method path} without a body, with {@code headers} as name, value pairs. */
  public HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends {@code GET path} with {@code headers} as name, value pairs. */
  public HttpResponse<String> get(String path, String... headers) throws Exception {
    return send("GET", path, headers);
  }

  @Override
  public void close() {
    context.close();
  }
}
