package dev.cachet.spring.admin;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.KeyInfo;
import dev.cachet.KeyPage;
import dev.cachet.PatternDeletion;
import dev.cachet.store.StoreUnavailableException;
import dev.cachet.store.UnsupportedCapabilityException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The admin REST API's handlers. Bad input answers 400, an operation the store cannot do 501,
 * each with a JSON {@code message}. An invalidation issued while the store does not answer is
 * done as Cachet does it (kept and applied once the store is back): it answers 200 with
 * {@code "queued": true}, and a pattern delete that could not scan the store says that it
 * invalidated the whole namespace instead ({@code "namespaceInvalidated": true}). Thread-safe.
 */
final class AdminApi {
  private static final System.Logger LOG = System.getLogger(AdminApi.class.getName());
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1_000;
  /** The longest tag an invalidation takes: longer than any URL path a server accepts. */
  static final int MAX_TAG_LENGTH = 8_192;
  /** The largest body an invalidation takes. */
  static final int MAX_BODY_BYTES = 1 << 20;
  /** Past this many characters of tags, an invalidation's answer gives their count, not them. */
  static final int MAX_ECHOED_CHARS = 16_384;

  private final Cachet cachet;
  private final CachetInspector inspector;
  private final AdminJson json;
  private final Clock clock;

  AdminApi(Cachet cachet, CachetInspector inspector, AdminJson json, Clock clock) {
    this.cachet = cachet;
    this.inspector = inspector;
    this.json = json;
    this.clock = clock;
  }

  /**
   * One entry of a key listing.
   *
   * @param state {@code fresh}, {@code stale}, {@code invalid} (never served again) or
   *     {@code corrupt} (bytes that are no readable entry: read as a miss; delete them)
   * @param storedAt when it was written, ISO-8601; {@code null} for a corrupt entry
   * @param ageMillis how long ago; {@code null} for a corrupt entry
   * @param ttlMillis how long the store still keeps it, or {@code null} when the store cannot tell
   */
  record KeyView(
      String key, String state, @Nullable String storedAt, @Nullable Long ageMillis, @Nullable Long ttlMillis,
      int sizeBytes, List<String> tags, String contentType) {}

  /** A page of keys; pass {@code nextCursor} back as {@code cursor} for the next. */
  record KeysView(String pattern, List<KeyView> keys, @Nullable String nextCursor) {}

  /** GET, and HEAD wherever GET is (the container sends the headers of the GET, no body). */
  static final RequestPredicate READ = RequestPredicates.method(HttpMethod.GET).or(RequestPredicates.method(HttpMethod.HEAD));
  static final RequestPredicate OPTIONS = RequestPredicates.method(HttpMethod.OPTIONS);
  private static final String READS = "GET, HEAD, OPTIONS";
  private static final String WRITES = "POST, OPTIONS";

  RouterFunction<ServerResponse> routes(String base) {
    RequestPredicate keys = RequestPredicates.path(base + "/keys");
    RequestPredicate writes = RequestPredicates.path(base + "/clear").or(RequestPredicates.path(base + "/invalidate"));
    RequestPredicate reads = RequestPredicates.path(base + "/stats").or(RequestPredicates.path(base + "/health"))
        .or(RequestPredicates.path(base + "/csrf"));
    return RouterFunctions.route()
        .route(keys.and(READ), guarded(this::keys))
        .DELETE(base + "/keys", guarded(this::deleteKey))
        .POST(base + "/clear", guarded(this::clear))
        .POST(base + "/invalidate", guarded(this::invalidate))
        .route(RequestPredicates.path(base + "/stats").and(READ), guarded(request -> json.ok(inspector.stats())))
        .route(RequestPredicates.path(base + "/health").and(READ), guarded(request -> json.ok(inspector.health())))
        .route(RequestPredicates.path(base + "/csrf").and(READ),
            guarded(request -> json.ok(CsrfTokens.of(request.servletRequest()))))
        // OPTIONS says which methods an endpoint takes; another method is answered 405, saying it too.
        .route(keys.and(OPTIONS), request -> options("GET, HEAD, DELETE, OPTIONS"))
        .route(writes.and(OPTIONS), request -> options(WRITES))
        .route(reads.and(OPTIONS), request -> options(READS))
        .route(keys, request -> notAllowed("GET, HEAD, DELETE, OPTIONS"))
        .route(writes, request -> notAllowed(WRITES))
        .route(reads, request -> notAllowed(READS))
        .build();
  }

  private ServerResponse notAllowed(String allow) {
    return json.error(HttpStatus.METHOD_NOT_ALLOWED, "this endpoint takes " + allow, null, allow);
  }

  static ServerResponse options(String allow) {
    return ServerResponse.noContent().header(HttpHeaders.ALLOW, allow).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
  }

  private HandlerFunction<ServerResponse> guarded(HandlerFunction<ServerResponse> handler) {
    return request -> {
      try {
        // Before any parameter is read: the container would answer a bare 400 and log an error.
        checkQuery(request.servletRequest().getQueryString());
        return handler.handle(request);
      } catch (IllegalStateException e) {
        // A container that could not decode a form body's parameters (Tomcat's InvalidParameterException).
        if (e.getClass().getSimpleName().equals("InvalidParameterException")) {
          LOG.log(System.Logger.Level.DEBUG, "admin request with malformed parameters", e);
          return json.error(HttpStatus.BAD_REQUEST, "the parameters are not valid percent-encoded UTF-8");
        }
        throw e;
      } catch (UnsupportedCapabilityException e) {
        return json.error(HttpStatus.NOT_IMPLEMENTED, e.getMessage(), e.capability().name());
      } catch (StoreUnavailableException e) {
        return json.error(HttpStatus.SERVICE_UNAVAILABLE, String.valueOf(e.getMessage()));
      } catch (IllegalArgumentException e) {
        return json.error(HttpStatus.BAD_REQUEST, String.valueOf(e.getMessage()));
      } catch (PayloadTooLarge e) {
        return json.error(HttpStatus.CONTENT_TOO_LARGE, String.valueOf(e.getMessage()));
      }
    };
  }

  /**
   * @throws IllegalArgumentException unless {@code query} is well-formed percent-encoded UTF-8;
   *     the message quotes the offending escape, never more of the input
   */
  static void checkQuery(@Nullable String query) {
    if (query == null) {
      return;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c == '%') {
        int hi = i + 2 < query.length() ? Character.digit(query.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(query.charAt(i + 2), 16);
        if (lo < 0) {
          throw new IllegalArgumentException("the query has a malformed escape at '"
              + query.substring(i, Math.min(query.length(), i + 3)) + "': percent-encode parameters"
              + " (encodeURIComponent, curl --data-urlencode)");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        if (c == '&' || c == '=') {
          utf8(bytes);
        }
        bytes.write(c < 0x80 ? c : '?');
      }
    }
    utf8(bytes);
  }

  private static void utf8(java.io.ByteArrayOutputStream bytes) {
    try {
      java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()));
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalArgumentException("the query's percent-escapes are not UTF-8 (such as %ff):"
          + " percent-encode parameters as UTF-8 (encodeURIComponent, curl --data-urlencode)");
    }
    bytes.reset();
  }

  /**
   * @throws IllegalArgumentException for a parameter not among {@code once} and {@code repeatable},
   *     or one of {@code once} given more than once, so that a misspelt or ambiguous request is
   *     refused rather than read differently from what its sender meant
   */
  private static void checkParams(ServerRequest request, String endpoint, List<String> once, List<String> repeatable,
      @Nullable String hint) {
    for (Map.Entry<String, List<String>> p : request.params().entrySet()) {
      String name = p.getKey();
      if (once.contains(name)) {
        if (p.getValue().size() > 1) {
          throw new IllegalArgumentException("parameter '" + name + "' is given " + p.getValue().size()
              + " times: " + endpoint + " takes it once");
        }
      } else if (!repeatable.contains(name)) {
        List<String> all = new ArrayList<>(once);
        all.addAll(repeatable);
        throw new IllegalArgumentException("unknown parameter '" + abbreviate(name) + "': " + endpoint + " takes "
            + (all.isEmpty() ? "none" : String.join(", ", all)) + (hint == null ? "" : "; " + hint));
      }
    }
  }

  /** {@code s}, or its start and its length when it is long: input is not echoed at length. */
  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 40) + "... (" + s.length() + " characters)";
  }

  private ServerResponse keys(ServerRequest request) {
    checkParams(request, "GET .../keys", List.of("pattern", "cursor", "limit"), List.of(),
        request.params().containsKey("key") ? "to list one key give it as the pattern, with *, ?, [ and \\"
            + " escaped by a backslash (DELETE .../keys?key= deletes one)" : null);
    String pattern = request.param("pattern").filter(p -> !p.isEmpty()).orElse("*");
    String cursor = request.param("cursor").filter(c -> !c.isEmpty()).orElse(null);
    int limit = limit(request.param("limit"));
    KeyPage page;
    try {
      page = cachet.keys(pattern, cursor, limit);
    } catch (UnsupportedCapabilityException e) {
      // Said in this API's terms: what an operator can do here instead.
      throw new UnsupportedCapabilityException(e.capability(), inspector.storeName() + " cannot list keys: delete a key you know"
          + " with DELETE .../keys?key=<key>, or invalidate entries by tag with POST .../invalidate?tag=<tag>");
    }
    long now = clock.millis();
    List<KeyView> keys = new ArrayList<>(page.keys().size());
    for (KeyInfo k : page.keys()) {
      Duration ttl = k.timeToLive();
      keys.add(new KeyView(
          k.key(), k.state().name().toLowerCase(Locale.ROOT), k.storedAt() == null ? null : k.storedAt().toString(),
          k.storedAt() == null ? null : Math.max(0, now - k.storedAt().toEpochMilli()),
          ttl == null ? null : ttl.toMillis(), k.sizeBytes(),
          k.tags(), k.contentType()));
    }
    return json.ok(new KeysView(pattern, keys, page.nextCursor()));
  }

  private static int limit(Optional<String> value) {
    if (value.isEmpty() || value.get().isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value.get().trim());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT + ": '" + abbreviate(value.get()) + "'");
  }

  private ServerResponse deleteKey(ServerRequest request) {
    checkParams(request, "DELETE .../keys", List.of("key"), List.of(), null);
    String key = request.param("key").filter(k -> !k.isEmpty())
        .orElseThrow(() -> new IllegalArgumentException("the key query parameter is required: DELETE .../keys?key=<key>"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("key", key);
    body.put("deleted", cachet.delete(key));
    body.put("queued", queued());
    return json.ok(body);
  }

  private ServerResponse clear(ServerRequest request) throws Exception {
    // Without a pattern this clears everything: anything else the caller sent (a JSON body, a
    // misspelt parameter) more likely meant a narrower clear, so it is refused, not ignored.
    // The body is judged before any parameter is read: the container would take a form body's
    // fields for parameters.
    HttpServletRequest raw = request.servletRequest();
    if (raw.getContentLengthLong() > 0 || raw.getHeader("Transfer-Encoding") != null) {
      throw new IllegalArgumentException("POST .../clear takes no body: give the pattern as ?pattern=<glob>");
    }
    checkParams(request, "POST .../clear", List.of("pattern"), List.of(),
        "it clears every entry without ?pattern=<glob>");
    if (request.servletRequest().getInputStream().read() != -1) {
      throw new IllegalArgumentException("POST .../clear takes no body: give the pattern as ?pattern=<glob>");
    }
    Optional<String> pattern = request.param("pattern");
    Map<String, Object> body = new LinkedHashMap<>();
    if (pattern.isPresent()) {
      if (pattern.get().isEmpty()) {
        // An empty pattern is more likely a bug in a script than a wish to clear everything.
        throw new IllegalArgumentException("pattern must not be empty; POST .../clear without it clears every entry");
      }
      body.put("pattern", pattern.get());
      PatternDeletion deletion = cachet.deleteByPatternReporting(pattern.get());
      body.put("deleted", deletion.deleted());
      // The store could not be scanned to the end (unreachable, a cluster reshard): Cachet
      // invalidated the whole namespace instead. Done, and more than was asked: said, not hidden.
      body.put("namespaceInvalidated", deletion.namespaceInvalidated());
    } else {
      cachet.clear();
      body.put("cleared", true);
    }
    body.put("queued", queued());
    return json.ok(body);
  }

  /** Tags come as repeated {@code tag}/{@code tags} parameters or a JSON body {@code {"tags":[..],"soft":b}}. */
  private ServerResponse invalidate(ServerRequest request) throws Exception {
    HttpServletRequest raw = request.servletRequest();
    if (raw.getContentLengthLong() > MAX_BODY_BYTES) {
      throw new PayloadTooLarge();
    }
    checkParams(request, "POST .../invalidate", List.of("soft"), List.of("tag", "tags"), null);
    List<String> tags = new ArrayList<>();
    tags.addAll(request.params().getOrDefault("tag", List.of()));
    tags.addAll(request.params().getOrDefault("tags", List.of()));
    boolean soft = bool(request.param("soft").orElse(null), "soft");
    boolean jsonBody = request.headers().contentType().map(MediaType.APPLICATION_JSON::isCompatibleWith).orElse(false);
    if (jsonBody) {
      byte[] bytes = raw.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw new PayloadTooLarge();
      }
      JsonNode body;
      try {
        body = json.mapper().readTree(bytes);
      } catch (JacksonException e) {
        throw new IllegalArgumentException("the body is not JSON: " + abbreviate(e.getOriginalMessage()));
      }
      if (body == null || !body.isObject()) {
        throw new IllegalArgumentException("the body must be a JSON object: {\"tags\":[\"a\"],\"soft\":false}");
      }
      for (String field : body.propertyNames()) {
        if (!field.equals("tags") && !field.equals("soft")) {
          throw new IllegalArgumentException("unknown field '" + abbreviate(field) + "': the body takes tags and soft");
        }
      }
      JsonNode listed = body.path("tags");
      if (listed.isArray()) {
        for (JsonNode t : listed) {
          if (!t.isString()) {
            throw new IllegalArgumentException("tags must be strings");
          }
          tags.add(t.asString());
        }
      } else if (!listed.isMissingNode()) {
        throw new IllegalArgumentException("tags must be an array of strings");
      }
      JsonNode s = body.path("soft");
      if (s.isBoolean()) {
        soft = s.asBoolean();
      } else if (!s.isMissingNode() && !s.isNull()) {
        throw new IllegalArgumentException("soft must be true or false");
      }
    }
    tags.removeIf(String::isBlank);
    if (tags.isEmpty()) {
      throw new IllegalArgumentException("no tags given: POST .../invalidate?tag=a&tag=b, or a JSON body {\"tags\":[\"a\"]}");
    }
    if (tags.size() > CachePolicy.MAX_TAGS) {
      throw new IllegalArgumentException(tags.size() + " tags given, at most " + CachePolicy.MAX_TAGS
          + " at once (an entry carries at most as many)");
    }
    long total = 0;
    for (int i = 0; i < tags.size(); i++) {
      int length = tags.get(i).length();
      if (length > MAX_TAG_LENGTH) {
        throw new IllegalArgumentException("tag " + (i + 1) + " is " + length + " characters long, at most "
            + MAX_TAG_LENGTH + " are taken");
      }
      total += length;
    }
    if (soft) {
      cachet.softInvalidateTags(tags);
    } else {
      cachet.invalidateTags(tags);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tagCount", tags.size());
    if (total <= MAX_ECHOED_CHARS) {
      out.put("tags", tags);
    }
    out.put("soft", soft);
    out.put("queued", queued());
    return json.ok(out);
  }

  /** A body past {@link #MAX_BODY_BYTES}: 413. */
  static final class PayloadTooLarge extends RuntimeException {
    PayloadTooLarge() {
      super("the body is larger than " + MAX_BODY_BYTES / 1024 + " KiB", null, false, false);
    }
  }

  private static boolean bool(@Nullable String value, String name) {
    if (value == null || value.isEmpty() || value.equalsIgnoreCase("false")) {
      return false;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    throw new IllegalArgumentException(name + " must be true or false: '" + abbreviate(value) + "'");
  }

  /**
   * Whether invalidations wait for the store after this one: it did not answer, so this one is
   * kept and applied once it does (unless it came back meanwhile and another one failed since).
   */
  private boolean queued() {
    return inspector.pendingInvalidations() > 0;
  }


}
