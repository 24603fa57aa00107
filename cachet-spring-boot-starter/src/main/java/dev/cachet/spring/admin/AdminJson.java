package dev.cachet.spring.admin;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the admin API's JSON with a mapper of its own, so that the application's Jackson settings
 * (naming strategies, date formats) never change the shape the dashboard and scripts rely on.
 * Thread-safe.
 */
final class AdminJson {
  private final JsonMapper mapper = JsonMapper.builder().build();

  JsonMapper mapper() {
    return mapper;
  }

  ServerResponse ok(Object body) {
    return response(HttpStatus.OK, body);
  }

  ServerResponse error(HttpStatus status, String message) {
    return response(status, errorBody(status, message, null));
  }

  ServerResponse error(HttpStatus status, String message, String capability) {
    return response(status, errorBody(status, message, capability));
  }

  /** An error that names, in an {@code Allow} header, the methods the endpoint takes. */
  ServerResponse error(HttpStatus status, String message, @Nullable String capability, String allow) {
    return ServerResponse.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header("X-Content-Type-Options", "nosniff")
        .header(HttpHeaders.ALLOW, allow)
        .body(mapper.writeValueAsBytes(errorBody(status, message, capability)));
  }

  private ServerResponse response(HttpStatus status, Object body) {
    return ServerResponse.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header("X-Content-Type-Options", "nosniff")
        .body(mapper.writeValueAsBytes(body));
  }

  /** Writes an error straight to a servlet response, for the access check. */
  void write(HttpServletResponse response, HttpStatus status, String message) throws IOException {
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.getOutputStream().write(mapper.writeValueAsBytes(errorBody(status, message, null)));
  }

  private static Map<String, Object> errorBody(HttpStatus status, String message, @Nullable String capability) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status.value());
    body.put("error", status.getReasonPhrase());
    body.put("message", message);
    if (capability != null) {
      body.put("capability", capability);
    }
    return body;
  }
}
