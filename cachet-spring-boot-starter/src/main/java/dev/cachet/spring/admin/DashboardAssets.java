package dev.cachet.spring.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Serves the dashboard: a fixed set of files from the class path, read once. They are the same for
 * every installation and hold no data (everything shown comes from the admin API, which needs
 * credentials), so they are served to anyone, under a strict Content-Security-Policy that allows
 * nothing but this origin. Thread-safe.
 */
final class DashboardAssets {
  static final String ROOT = "dev/cachet/spring/admin/dashboard/";
  private static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
          + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private record Asset(byte[] bytes, MediaType type) {}

  private final Map<String, Asset> assets;

  DashboardAssets(ClassLoader loader) {
    this.assets = Map.of(
        "index.html", load(loader, "index.html", MediaType.valueOf("text/html;charset=UTF-8")),
        "format.js", load(loader, "format.js", MediaType.valueOf("text/javascript;charset=UTF-8")),
        "charts.js", load(loader, "charts.js", MediaType.valueOf("text/javascript;charset=UTF-8")),
        "app.js", load(loader, "app.js", MediaType.valueOf("text/javascript;charset=UTF-8")),
        "app.css", load(loader, "app.css", MediaType.valueOf("text/css;charset=UTF-8")),
        "icon.svg", load(loader, "icon.svg", MediaType.valueOf("image/svg+xml")));
  }

  private static Asset load(ClassLoader loader, String name, MediaType type) {
    try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("dashboard file missing from the class path: " + ROOT + name);
      }
      return new Asset(in.readAllBytes(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code <base>/dashboard} (the page; its files are relative to it) and its files. */
  RouterFunction<ServerResponse> routes(String base) {
    String page = base + "/dashboard";
    RouterFunctions.Builder routes = RouterFunctions.route()
        .route(RequestPredicates.path(page).and(AdminApi.READ), request -> serve("index.html"))
        // Relative, so that it holds under any servlet context path.
        .route(RequestPredicates.path(page + "/").and(AdminApi.READ),
            request -> ServerResponse.status(308).location(URI.create("../dashboard")).build());
    RequestPredicate files = RequestPredicates.path(page).or(RequestPredicates.path(page + "/"));
    for (String name : assets.keySet()) {
      if (!name.equals("index.html")) {
        routes.route(RequestPredicates.path(page + "/" + name).and(AdminApi.READ), request -> serve(name));
        files = files.or(RequestPredicates.path(page + "/" + name));
      }
    }
    return routes.route(files.and(AdminApi.OPTIONS), request -> AdminApi.options("GET, HEAD, OPTIONS")).build();
  }

  private ServerResponse serve(String name) {
    Asset asset = assets.get(name);
    return ServerResponse.ok()
        .contentType(asset.type())
        .header(HttpHeaders.CACHE_CONTROL, "no-cache")
        .header("Content-Security-Policy", POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("X-Frame-Options", "DENY")
        .header("Referrer-Policy", "no-referrer")
        .body(asset.bytes());
  }
}
