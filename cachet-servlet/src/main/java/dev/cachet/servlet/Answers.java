package dev.cachet.servlet;

import dev.cachet.http.HttpCacheResult;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/** Writes what the cache answered to the client's response, for {@link CachetFilter}. Stateless. */
final class Answers {
  private Answers() {}

  /** The cache's answer, or what the handler failed with, rethrown. */
  static HttpCacheResult resultOf(CompletableFuture<HttpCacheResult> answer)
      throws IOException, ServletException {
    try {
      return answer.join();
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof ServletException se) {
        throw se;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new ServletException(cause);
    }
  }

  /**
   * Writes {@code result} unless it was sent already: its headers ({@code Set-Cookie} and
   * {@code Vary} added to what outer filters set), then status and body, or, for the answer of a
   * handler that used {@code sendError} ({@code errored}), that error again, so that the
   * container renders its error page.
   */
  static void write(HttpCacheResult result, HttpServletResponse response, @Nullable CapturingResponse errored)
      throws IOException {
    if (result.committed()) {
      return;
    }
    result.headers().forEach((name, values) -> {
      if (name.equalsIgnoreCase("Set-Cookie")) {
        values.forEach(v -> response.addHeader(name, v)); // next to the container's own cookies
        return;
      }
      if (name.equalsIgnoreCase("Vary")) {
        addVary(values, response); // next to what outer filters (CORS) vary by
        return;
      }
      response.setHeader(name, values.get(0));
      for (int i = 1; i < values.size(); i++) {
        response.addHeader(name, values.get(i));
      }
    });
    if (errored != null && result.status() == errored.getStatus() && result.bodyLength() == 0) {
      String message = errored.errorMessage();
      if (message == null) {
        response.sendError(result.status());
      } else {
        response.sendError(result.status(), message);
      }
      return;
    }
    response.setStatus(result.status());
    if (result.bodyLength() > 0) {
      response.setContentLength(result.bodyLength());
      result.writeBodyTo(response.getOutputStream());
    }
    if (result.needsRevalidation()) {
      response.flushBuffer(); // the client has its answer before this thread runs the handler
    }
  }

  /** Adds the names of {@code varyLines} that {@code response}'s {@code Vary} does not list yet. */
  private static void addVary(List<String> varyLines, HttpServletResponse response) {
    Set<String> listed = new HashSet<>();
    for (String line : response.getHeaders("Vary")) {
      for (String token : line.split(",")) {
        listed.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    if (listed.contains("*")) {
      return;
    }
    StringJoiner missing = new StringJoiner(", ");
    for (String line : varyLines) {
      for (String token : line.split(",")) {
        String name = token.trim();
        if (!name.isEmpty() && listed.add(name.toLowerCase(Locale.ROOT))) {
          missing.add(name);
        }
      }
    }
    if (missing.length() > 0) {
      response.addHeader("Vary", missing.toString());
    }
  }
}
