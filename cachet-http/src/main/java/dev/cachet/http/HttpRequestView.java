package dev.cachet.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What the cache needs to know of one request; an adapter implements it over its framework's
 * request (or uses {@link #builder}).
 *
 * <p>Implementations are used by one thread at a time, for the duration of one
 * {@link HttpCache} call. {@link #identity()} is called only for routes that vary by principal,
 * so it may be costly.
 */
public interface HttpRequestView {

  /** The method as sent, e.g. {@code GET}; compared without regard to case. */
  String method();

  /**
   * The path as sent, still percent-encoded and without the query: what the Servlet API calls
   * {@code getRequestURI()}, e.g. {@code /spaces/1/items%2Fx}.
   */
  String rawPath();

  /** The query as sent, without the {@code ?}, still encoded; {@code null} when there is none. */
  @Nullable String rawQuery();

  /** Every value of the header {@code name} (compared without regard to case); empty if absent. */
  List<String> headers(String name);

  /** The first value of the header {@code name}, or {@code null}. */
  default @Nullable String header(String name) {
    List<String> values = headers(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /**
   * The authenticated caller's stable identity (a user id or principal name), or {@code null} when
   * the request is anonymous. Used in keys of routes that vary by principal.
   */
  @Nullable String identity();

  /**
   * Whether the framework has authenticated the caller by some other means than an
   * {@code Authorization} header or a cookie (an API-key header, a client certificate, a token
   * in another header): such a request is credentialed too, and not served from or written to a
   * shared entry unless its route varies by principal or is marked shared. {@code false} by
   * default; the Servlet adapter answers whether the request has a user principal.
   */
  default boolean authenticated() {
    return false;
  }

  /**
   * The scheme, host and port the application sees for this request (as it builds links from
   * them, e.g. {@code https://example.com:443}) when they are not what the request's own
   * {@code Host} header and connection say: a filter applied forwarding headers and hid them
   * (Spring's {@code ForwardedHeaderFilter}), or the request has no {@code Host} and the server
   * took its host from an absolute request target. Part of the key when present, so that a
   * request whose forged origin shaped its response never shares an entry with one that did
   * not. {@code null} otherwise, and by default; the Servlet adapter compares
   * {@code getScheme()}, {@code getServerName()} and {@code getServerPort()} with the
   * container's own request beneath every wrapper.
   */
  default @Nullable String effectiveOrigin() {
    return null;
  }

  /** Whether the request carries cookies; by default whether it has a {@code Cookie} header. */
  default boolean hasCookies() {
    return !headers("Cookie").isEmpty();
  }

  /**
   * Variables the framework extracted from the matched route, e.g. {@code {spaceId=123}} for
   * {@code /spaces/{spaceId}}, decoded; used by {@link Template}s. Empty by default.
   */
  default Map<String, String> pathVariables() {
    return Map.of();
  }

  /**
   * The first value of each field of a form body ({@code application/x-www-form-urlencoded}) the
   * handler read, decoded: what a write's declared templates render from when its query does not
   * name a variable (an HTML form posts its fields there). Empty by default.
   */
  default Map<String, String> formFields() {
    return Map.of();
  }

  /** A builder of a plain request view, for adapters without a request object, and for tests. */
  static Builder builder(String method, String rawPath) {
    return new Builder(method, rawPath);
  }

  /** Builds a plain {@link HttpRequestView}. Not thread-safe. */
  final class Builder {
    private final String method;
    private final String rawPath;
    private @Nullable String rawQuery;
    private final HttpHeaders.Builder headers = HttpHeaders.builder();
    private Supplier<@Nullable String> identity = () -> null;
    private Map<String, String> pathVariables = Map.of();
    private @Nullable String effectiveOrigin;

    private Builder(String method, String rawPath) {
      this.method = Objects.requireNonNull(method, "method");
      this.rawPath = Objects.requireNonNull(rawPath, "rawPath");
    }

    /** The raw query, without {@code ?}; {@code null} for none. */
    public Builder rawQuery(@Nullable String rawQuery) {
      this.rawQuery = rawQuery;
      return this;
    }

    public Builder header(String name, String value) {
      headers.add(name, value);
      return this;
    }

    public Builder identity(@Nullable String identity) {
      this.identity = () -> identity;
      return this;
    }

    /** Where the identity comes from, asked lazily. */
    public Builder identity(Supplier<@Nullable String> identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    public Builder pathVariables(Map<String, String> pathVariables) {
      this.pathVariables = Map.copyOf(pathVariables);
      return this;
    }

    /** See {@link HttpRequestView#effectiveOrigin}; {@code null} (the default) for unknown. */
    public Builder effectiveOrigin(@Nullable String effectiveOrigin) {
      this.effectiveOrigin = effectiveOrigin;
      return this;
    }

    public HttpRequestView build() {
      HttpHeaders h = headers.build();
      String origin = effectiveOrigin;
      Supplier<@Nullable String> id = identity;
      Map<String, String> vars = pathVariables;
      String query = rawQuery;
      return new HttpRequestView() {
        @Override
        public String method() {
          return method;
        }

        @Override
        public String rawPath() {
          return rawPath;
        }

        @Override
        public @Nullable String rawQuery() {
          return query;
        }

        @Override
        public List<String> headers(String name) {
          return h.all(name);
        }

        @Override
        public @Nullable String identity() {
          return id.get();
        }

        @Override
        public Map<String, String> pathVariables() {
          return vars;
        }

        @Override
        public @Nullable String effectiveOrigin() {
          return origin;
        }

        @Override
        public String toString() {
          return method + " " + rawPath + (query == null ? "" : "?" + query);
        }
      };
    }
  }
}
