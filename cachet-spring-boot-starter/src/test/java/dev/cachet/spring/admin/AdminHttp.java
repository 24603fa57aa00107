package dev.cachet.spring.admin;

import dev.cachet.spring.RunningApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A test application on a free loopback port, and a real HTTP client for it. */
final class AdminHttp implements AutoCloseable {
  static final String TOKEN = "s3cret-token-0123456789-abcdefghij";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  final ConfigurableApplicationContext context;
  final int port;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

  private AdminHttp(ConfigurableApplicationContext context) {
    this.context = context;
    this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  /** Starts {@code configuration} with {@code properties} (key=value) on a free port. */
  static AdminHttp start(Class<?> configuration, String... properties) {
    return new AdminHttp(RunningApp.run(configuration, properties));
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /** A response with its body as text and, where it is JSON, as a tree. */
  record Reply(int status, String body, HttpResponse<String> raw) {
    JsonNode json() {
      return JSON.readTree(body);
    }

    @Nullable String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  Reply get(String path, @Nullable String token) {
    return send("GET", path, token, null, null);
  }

  Reply send(String method, String path, @Nullable String token, @Nullable String contentType, @Nullable String body) {
    return sendWithHeader(method, path, token == null ? null : "Bearer " + token, contentType, body, Map.of());
  }

  Reply sendWithHeader(
      String method, String path, @Nullable String authorization, @Nullable String contentType, @Nullable String body,
      Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
