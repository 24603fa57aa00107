package dev.cachet.http;

import dev.cachet.http.internal.ETags;
import dev.cachet.http.internal.Freshness;
import dev.cachet.http.internal.HeaderRules;
import dev.cachet.http.internal.ModifiedSince;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Assembles what is sent: replays of stored responses, {@code 304}s, handler responses. Thread-safe. */
final class Replies {

  private final HttpCacheConfig config;
  private final Clock clock;
  private final @Nullable Pattern excludedUserAgents;

  Replies(HttpCacheConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.excludedUserAgents = config.compression().excludedUserAgentPattern();
  }

  /** The {@code X-Cache} and {@code Cache-Status} headers, or none when they are off. */
  HttpHeaders cacheHeaders(XCache xCache, String cacheStatus) {
    if (!config.statusHeaders()) {
      return HttpHeaders.empty();
    }
    return HttpHeaders.builder().add("X-Cache", xCache.name()).add("Cache-Status", cacheStatus).build();
  }

  private void addCacheHeaders(HttpHeaders.Builder b, XCache xCache, String cacheStatus) {
    if (config.statusHeaders()) {
      b.set("X-Cache", xCache.name());
      b.add("Cache-Status", cacheStatus); // after any inner cache's member
    }
  }

  /**
   * The stored form of a handler's buffered response: replayable headers, its {@code Date} (now,
   * its creation, when the handler set none), an ETag unless it has one (both of the identity
   * body), and the body gzip-compressed where {@link Compression} says.
   */
  StoredResponse toStored(OriginResponse r) {
    HttpHeaders headers = HeaderRules.replayable(r.headers());
    if (!headers.contains("Date")) { // replayed with Age, which counts from it (replay)
      headers = headers.toBuilder().set("Date", HeaderRules.httpDate(clock.instant())).build();
    }
    long initialAge = Freshness.initialAge(r.headers());
    if (initialAge > 0) { // kept, as one number, so that a hit's Age adds it (replay)
      headers = headers.toBuilder().set("Age", Long.toString(initialAge)).build();
    }
    if (config.etags() && !headers.contains("ETag")) {
      ETags.Strong etag = new ETags.Strong();
      r.body().forEachRange(etag::update);
      headers = headers.toBuilder().add("ETag", etag.tag()).build();
    }
    StoredResponse compressed = Compressor.compress(config.compression(), r.status(), headers, r.body());
    if (compressed != null) {
      return compressed;
    }
    return r.placeable()
        ? StoredResponse.wrapPlaceable(r.status(), headers, r.body())
        : StoredResponse.wrap(r.status(), headers, r.body());
  }

  /**
   * Serves {@code stored}: as a {@code 304} when the request's {@code If-None-Match} matches it,
   * else whole (without body for {@code HEAD}); with its stored {@code Date} (for an entry stored
   * without one, {@code storedAt}, else now) and {@code Age} from {@code storedAt} when given. A
   * downstream cache computes an {@code Expires}-based lifetime as {@code Expires - Date} and then
   * subtracts {@code Age} (RFC 9111 sections 4.2.1 and 4.2.3): a {@code Date} of now would
   * count the age twice.
   */
  HttpCacheResult replay(
      StoredResponse stored, HttpRequestView request, boolean head, XCache xCache,
      String cacheStatus, @Nullable Instant storedAt,
      HttpCacheResult.@Nullable Revalidation revalidation) {
    Instant now = clock.instant();
    Representation sent = Representation.of(stored, request, excludedUserAgents);
    boolean notModified = notModified(request, stored.status(), stored.headers(), sent.etag());
    HttpHeaders.Builder h = notModified
        ? HeaderRules.notModified(stored.headers())
        : stored.headers().toBuilder();
    if (sent.gzip()) {
      if (sent.etag() != null) {
        h.set("ETag", sent.etag());
      }
      if (!notModified) {
        h.set("Content-Encoding", "gzip");
      }
    }
    String date = stored.headers().first("Date");
    h.set("Date", date != null ? date
        : storedAt != null ? HeaderRules.formatDate(storedAt) : HeaderRules.httpDate(now));
    if (storedAt != null) {
      // Its age when stored counts too (RFC 9111 section 4.2.3): a relayed response has one.
      h.set("Age", Long.toString(ageSeconds(storedAt, now) + Freshness.initialAge(stored.headers())));
    }
    if (!notModified) {
      h.set("Content-Length", Integer.toString(sent.length(stored)));
    }
    addCacheHeaders(h, xCache, cacheStatus);
    Body body = notModified || head ? Body.EMPTY : sent.body(stored);
    return new HttpCacheResult(
        xCache, notModified ? 304 : stored.status(), h.build(), body, false, revalidation);
  }

  /**
   * Whether {@code request}'s client holds the response of {@code status} and {@code headers}
   * (whose entity tag is {@code etag}) already: a {@code 2xx} that its {@code If-None-Match}
   * matches, or, without one, that its {@code If-Modified-Since} says is unmodified.
   */
  private boolean notModified(
      HttpRequestView request, int status, HttpHeaders headers, @Nullable String etag) {
    if (!config.conditionalRequests() || status < 200 || status >= 300) {
      return false;
    }
    List<String> ifNoneMatch = request.headers("If-None-Match");
    // If-Modified-Since counts only without If-None-Match (RFC 9110 section 13.2.2).
    return ifNoneMatch.isEmpty()
        ? ModifiedSince.notModified(request.headers("If-Modified-Since"), headers.first("Last-Modified"))
        : ETags.ifNoneMatchMatches(ifNoneMatch, etag);
  }

  /**
   * Sends the handler's own buffered response, not stored, to a request whose validators the
   * handler did not see ({@link Forward#asksFullResponse()}): a {@code 304} when they say its
   * client holds it already, as the handler would have answered had it seen them (its cookies
   * kept), else the response itself, with the cache headers added.
   */
  HttpCacheResult passOn(OriginResponse r, HttpRequestView request, XCache xCache, String cacheStatus) {
    if (r.passedThrough() || !notModified(request, r.status(), r.headers(), r.headers().first("ETag"))) {
      return passOn(r, xCache, cacheStatus);
    }
    HttpHeaders.Builder h = HeaderRules.notModified(r.headers());
    for (String cookie : r.headers().all("Set-Cookie")) {
      h.add("Set-Cookie", cookie);
    }
    addCacheHeaders(h, xCache, cacheStatus);
    return new HttpCacheResult(xCache, 304, h.build(), Body.EMPTY, false, null);
  }

  /** Sends the handler's own response, with the cache headers added. */
  HttpCacheResult passOn(OriginResponse r, XCache xCache, String cacheStatus) {
    if (r.passedThrough()) {
      HttpHeaders sent = r.sentHeaders();
      return new HttpCacheResult(
          xCache, r.status(), sent == null ? HttpHeaders.empty() : sent, Body.EMPTY, true, null);
    }
    HttpHeaders.Builder h = r.headers().toBuilder();
    addCacheHeaders(h, xCache, cacheStatus);
    return new HttpCacheResult(xCache, r.status(), h.build(), r.body(), false, null);
  }

  static long ageSeconds(Instant storedAt, Instant now) {
    Duration age = Duration.between(storedAt, now);
    return age.isNegative() ? 0 : age.getSeconds();
  }
}
