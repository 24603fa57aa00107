package dev.cachet.http;

import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.zip.Deflater;
import org.jspecify.annotations.Nullable;

/**
 * Whether stored responses are kept gzip-compressed, and which ones. A stored response is
 * compressed once, when it is stored, if its {@code Content-Type} is one of
 * {@link #mediaTypes()} (parameters and case ignored), its body has at least {@link #minBytes()}
 * bytes, it has no {@code Content-Encoding} of its own, and gzip makes it smaller. Its entry then
 * holds only the gzip body: clients that accept gzip get it as it is stored, the others get it
 * inflated (see {@code docs/architecture.md} for why only one copy is kept). Every response of
 * such an entry says {@code Vary: Accept-Encoding}; the gzip one carries the identity one's
 * {@code ETag} with {@code -gzip} appended to its opaque part.
 *
 * <p>Clients whose {@code User-Agent} matches one of {@link #excludedUserAgents()} get the
 * identity body even when they accept gzip, as Spring Boot's
 * {@code server.compression.excluded-user-agents} makes the container do for the responses it
 * compresses itself.
 *
 * <p>Immutable and thread-safe. Off unless built: {@link #off()}.
 *
 * @param enabled whether any response is compressed
 * @param mediaTypes {@code type/subtype} names (lower case) of compressible bodies
 * @param minBytes the smallest body compressed; smaller ones are stored as they are
 * @param level the deflate level, 1 (fastest) to 9 (smallest), or -1 for zlib's default (6)
 * @param excludedUserAgents regular expressions, each matched against a whole {@code User-Agent}
 */
public record Compression(
    boolean enabled, Set<String> mediaTypes, int minBytes, int level, Set<String> excludedUserAgents) {
  /** JSON, XML, HTML, plain text, CSS and JavaScript. */
  public static final Set<String> DEFAULT_MEDIA_TYPES = Set.of(
      "application/json", "application/xml", "application/javascript", "text/html", "text/xml",
      "text/plain", "text/css", "text/javascript");

  /** 1 KiB: below it the gzip framing and the extra header outweigh what is saved. */
  public static final int DEFAULT_MIN_BYTES = 1024;

  private static final Compression OFF =
      new Compression(false, Set.of(), DEFAULT_MIN_BYTES, Deflater.DEFAULT_COMPRESSION, Set.of());

  public Compression {
    TreeSet<String> types = new TreeSet<>();
    for (String t : Objects.requireNonNull(mediaTypes, "mediaTypes")) {
      types.add(mediaType(t));
    }
    mediaTypes = Set.copyOf(types);
    if (minBytes < 0) {
      throw new IllegalArgumentException("minBytes must not be negative: " + minBytes);
    }
    checkLevel(level);
    for (String regex : Objects.requireNonNull(excludedUserAgents, "excludedUserAgents")) {
      userAgentPattern(regex);
    }
    excludedUserAgents = Set.copyOf(excludedUserAgents);
    if (enabled && mediaTypes.isEmpty()) {
      throw new IllegalArgumentException("compression needs at least one media type");
    }
  }

  /** Nothing is compressed: the default of {@link HttpCacheConfig}. */
  public static Compression off() {
    return OFF;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether a response with these headers and body size is stored compressed. */
  boolean applies(HttpHeaders headers, int bodyLength) {
    if (!enabled || bodyLength == 0 || bodyLength < minBytes || headers.contains("Content-Encoding")) {
      return false;
    }
    String type = headers.first("Content-Type");
    if (type == null) {
      return false;
    }
    int semi = type.indexOf(';');
    String bare = (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    return mediaTypes.contains(bare);
  }

  /**
   * One pattern matching every excluded {@code User-Agent} in whole, or {@code null} when none is
   * excluded (the common case, which costs a hit nothing).
   */
  @Nullable Pattern excludedUserAgentPattern() {
    if (excludedUserAgents.isEmpty()) {
      return null;
    }
    StringBuilder any = new StringBuilder();
    for (String regex : new TreeSet<>(excludedUserAgents)) {
      any.append(any.length() == 0 ? "" : "|").append("(?:").append(regex).append(')');
    }
    return Pattern.compile(any.toString());
  }

  private static Pattern userAgentPattern(@Nullable String regex) {
    Objects.requireNonNull(regex, "user agent pattern");
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "not a regular expression for excluded user agents: '" + regex + "': " + e.getDescription(), e);
    }
  }

  private static String mediaType(@Nullable String type) {
    String t = Objects.requireNonNull(type, "media type").trim().toLowerCase(Locale.ROOT);
    int slash = t.indexOf('/');
    if (slash <= 0 || slash == t.length() - 1 || t.indexOf('/', slash + 1) >= 0
        || !HttpHeaders.isToken(t.substring(0, slash)) || !HttpHeaders.isToken(t.substring(slash + 1))) {
      throw new IllegalArgumentException("not a type/subtype media type: '" + type + "'");
    }
    return t;
  }

  private static void checkLevel(int level) {
    if (level != Deflater.DEFAULT_COMPRESSION && (level < 1 || level > 9)) {
      throw new IllegalArgumentException("level must be in [1, 9] or -1: " + level);
    }
  }

  /**
   * Builds an enabled {@link Compression}. Each setter may be called once
   * ({@link IllegalStateException} otherwise) and checks its argument at once
   * ({@link IllegalArgumentException}). Not thread-safe.
   */
  public static final class Builder {
    private boolean enabled = true;
    private Set<String> mediaTypes = DEFAULT_MEDIA_TYPES;
    private int minBytes = DEFAULT_MIN_BYTES;
    private int level = Deflater.DEFAULT_COMPRESSION;
    private Set<String> excludedUserAgents = Set.of();
    private final Set<String> set = new HashSet<>();

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    /** Default {@code true}; {@code false} builds the same as {@link #off()} would. */
    public Builder enabled(boolean enabled) {
      once("enabled");
      this.enabled = enabled;
      return this;
    }

    /** {@code type/subtype} names; default {@link #DEFAULT_MEDIA_TYPES}. */
    public Builder mediaTypes(String... types) {
      once("mediaTypes");
      Set<String> s = new HashSet<>();
      for (String t : Objects.requireNonNull(types, "types")) {
        s.add(mediaType(t));
      }
      if (s.isEmpty()) {
        throw new IllegalArgumentException("at least one media type is needed");
      }
      this.mediaTypes = s;
      return this;
    }

    /** Default {@link #DEFAULT_MIN_BYTES}. */
    public Builder minBytes(int bytes) {
      once("minBytes");
      if (bytes < 0) {
        throw new IllegalArgumentException("minBytes must not be negative: " + bytes);
      }
      this.minBytes = bytes;
      return this;
    }

    /** 1 to 9, or -1 for zlib's default (6, the default here). */
    public Builder level(int level) {
      once("level");
      checkLevel(level);
      this.level = level;
      return this;
    }

    /**
     * Regular expressions of {@code User-Agent}s that get identity bodies; each must match the
     * whole header. Default none.
     */
    public Builder excludedUserAgents(String... regexes) {
      once("excludedUserAgents");
      Set<String> s = new HashSet<>();
      for (String regex : Objects.requireNonNull(regexes, "regexes")) {
        userAgentPattern(regex);
        s.add(regex);
      }
      this.excludedUserAgents = s;
      return this;
    }

    public Compression build() {
      return new Compression(enabled, mediaTypes, minBytes, level, excludedUserAgents);
    }
  }
}
