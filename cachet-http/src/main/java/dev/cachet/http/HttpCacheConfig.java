package dev.cachet.http;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Application-wide settings of an {@link HttpCache}. Immutable and thread-safe; build with
 * {@link #builder()} or take {@link #defaults()}.
 *
 * @param maxBodyBytes the largest body that is stored; larger ones are streamed to the client
 *     untouched and not stored. Default 10 MiB
 * @param honourRequestNoCache whether a request's {@code Cache-Control: no-cache} (or
 *     {@code Pragma: no-cache} without {@code Cache-Control}) skips the stored response and
 *     refreshes it. Default {@code true}; switch off so that clients cannot force origin load.
 *     Other request directives ({@code max-age=0}, as browsers send on reload) are not honoured
 * @param honourRequestNoStore whether a request's {@code Cache-Control: no-store} skips both the
 *     read and the write. Default {@code true}
 * @param ignoredParameters glob patterns ({@code *} any run, {@code ?} one character) of query
 *     parameter names left out of keys, e.g. {@code utm_*}
 * @param cacheName the name this cache gives itself in {@code Cache-Status}. Default {@code Cachet}
 * @param statusHeaders whether {@code X-Cache} and {@code Cache-Status} are added to responses.
 *     Default {@code true}
 * @param etags whether stored responses without an {@code ETag} get one from their body.
 *     Default {@code true}
 * @param conditionalRequests whether {@code If-None-Match} (or, without it, {@code
 *     If-Modified-Since} against a stored {@code Last-Modified}) is answered {@code 304} from
 *     stored responses. Default {@code true}
 * @param hierarchyMode the automatic invalidation of writes whose policy does not choose one.
 *     Default {@link HierarchyMode#RESOURCE_AND_ANCESTORS}
 * @param ignoredVaryHeaders header names (lower case) that a response may list in {@code Vary}
 *     without the route varying by them; any other unlisted name makes the response unstorable,
 *     since one stored response would be served to requests that differ in that header
 * @param revalidationTimeout how long a background refresh of a stale entry waits for a request
 *     thread to run the handler for it (see {@link HttpCacheResult#revalidate}). Default 10 s
 * @param revalidationWait how long {@link HttpCacheResult#revalidate} waits for the refresh it
 *     should serve to be scheduled. Default 250 ms
 * @param compression which stored responses are kept gzip-compressed and served so to clients
 *     that accept it. Default {@link Compression#off()}
 * @param privateWhenUnset whether a response of a route that varies by principal, whose handler
 *     set no {@code Cache-Control}, is sent with {@code Cache-Control: private} (a handler's own
 *     {@code Cache-Control} gets {@code private} appended either way). Turn it off where a
 *     later writer sets a stricter one on responses that have none, as Spring Security's
 *     {@code no-store} headers do: they are written only when no {@code Cache-Control} is
 *     there yet. Default {@code true}
 */
public record HttpCacheConfig(
    long maxBodyBytes,
    boolean honourRequestNoCache,
    boolean honourRequestNoStore,
    List<String> ignoredParameters,
    String cacheName,
    boolean statusHeaders,
    boolean etags,
    boolean conditionalRequests,
    HierarchyMode hierarchyMode,
    Set<String> ignoredVaryHeaders,
    Duration revalidationTimeout,
    Duration revalidationWait,
    Compression compression,
    boolean privateWhenUnset) {

  /** 10 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;

  private static final HttpCacheConfig DEFAULTS = builder().build();

  public HttpCacheConfig {
    if (maxBodyBytes <= 0 || maxBodyBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxBodyBytes must be in [1, 2^31 - 9]: " + maxBodyBytes);
    }
    ignoredParameters = List.copyOf(ignoredParameters);
    for (String g : ignoredParameters) {
      if (g.isEmpty()) {
        throw new IllegalArgumentException("ignored parameter patterns must not be empty");
      }
    }
    if (!isSfToken(Objects.requireNonNull(cacheName, "cacheName"))) {
      throw new IllegalArgumentException(
          "cacheName must be a structured-field token (a letter or '*', then token characters, ':' or '/'): '"
              + cacheName + "'");
    }
    Objects.requireNonNull(hierarchyMode, "hierarchyMode");
    TreeSet<String> vary = new TreeSet<>();
    for (String h : ignoredVaryHeaders) {
      if (!HttpHeaders.isToken(h)) {
        throw new IllegalArgumentException("not a header name: '" + h + "'");
      }
      vary.add(h.toLowerCase(Locale.ROOT));
    }
    ignoredVaryHeaders = Set.copyOf(vary);
    requirePositive("revalidationTimeout", revalidationTimeout);
    requirePositive("revalidationWait", revalidationWait);
    Objects.requireNonNull(compression, "compression");
  }

  private static void requirePositive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  static boolean isSfToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    char first = s.charAt(0);
    if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '*')) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!HttpHeaders.isToken(String.valueOf(c)) && c != ':' && c != '/') {
        return false;
      }
    }
    return true;
  }

  public static HttpCacheConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds an {@link HttpCacheConfig}. Each setter may be called once
   * ({@link IllegalStateException} otherwise) and checks its argument at once
   * ({@link IllegalArgumentException}). Not thread-safe.
   */
  public static final class Builder {
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private boolean noCache = true;
    private boolean noStore = true;
    private List<String> ignoredParameters = List.of();
    private String cacheName = "Cachet";
    private boolean statusHeaders = true;
    private boolean privateWhenUnset = true;
    private boolean etags = true;
    private boolean conditional = true;
    private HierarchyMode hierarchyMode = HierarchyMode.RESOURCE_AND_ANCESTORS;
    private Set<String> ignoredVary = Set.of();
    private Duration revalidationTimeout = Duration.ofSeconds(10);
    private Duration revalidationWait = Duration.ofMillis(250);
    private Compression compression = Compression.off();
    private final Set<String> set = new HashSet<>();

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    public Builder maxBodyBytes(long bytes) {
      once("maxBodyBytes");
      if (bytes <= 0 || bytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("maxBodyBytes must be in [1, 2^31 - 9]: " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    public Builder honourRequestNoCache(boolean honour) {
      once("honourRequestNoCache");
      this.noCache = honour;
      return this;
    }

    public Builder honourRequestNoStore(boolean honour) {
      once("honourRequestNoStore");
      this.noStore = honour;
      return this;
    }

    public Builder ignoredParameters(String... globs) {
      once("ignoredParameters");
      this.ignoredParameters = List.of(Objects.requireNonNull(globs, "globs"));
      return this;
    }

    public Builder cacheName(String name) {
      once("cacheName");
      this.cacheName = Objects.requireNonNull(name, "name");
      return this;
    }

    public Builder statusHeaders(boolean enabled) {
      once("statusHeaders");
      this.statusHeaders = enabled;
      return this;
    }

    public Builder etags(boolean enabled) {
      once("etags");
      this.etags = enabled;
      return this;
    }

    public Builder conditionalRequests(boolean enabled) {
      once("conditionalRequests");
      this.conditional = enabled;
      return this;
    }

    public Builder hierarchyMode(HierarchyMode mode) {
      once("hierarchyMode");
      this.hierarchyMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    public Builder ignoredVaryHeaders(String... names) {
      once("ignoredVaryHeaders");
      this.ignoredVary = Set.copyOf(java.util.Arrays.asList(Objects.requireNonNull(names, "names"))); // duplicates are harmless
      return this;
    }

    public Builder revalidationTimeout(Duration timeout) {
      once("revalidationTimeout");
      requirePositive("revalidationTimeout", timeout);
      this.revalidationTimeout = timeout;
      return this;
    }

    public Builder revalidationWait(Duration wait) {
      once("revalidationWait");
      requirePositive("revalidationWait", wait);
      this.revalidationWait = wait;
      return this;
    }

    /** See {@link HttpCacheConfig#privateWhenUnset()}; default {@code true}. */
    public Builder privateWhenUnset(boolean enabled) {
      once("privateWhenUnset");
      this.privateWhenUnset = enabled;
      return this;
    }

    /** Which stored responses are kept gzip-compressed; default {@link Compression#off()}. */
    public Builder compression(Compression compression) {
      once("compression");
      this.compression = Objects.requireNonNull(compression, "compression");
      return this;
    }

    public HttpCacheConfig build() {
      return new HttpCacheConfig(
          maxBodyBytes, noCache, noStore, ignoredParameters, cacheName, statusHeaders, etags,
          conditional, hierarchyMode, ignoredVary, revalidationTimeout, revalidationWait, compression,
          privateWhenUnset);
    }
  }
}
