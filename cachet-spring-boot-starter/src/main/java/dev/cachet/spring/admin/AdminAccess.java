package dev.cachet.spring.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a request may use the admin API: a bearer token equal to
 * {@code cachet.admin.token}, or a Spring Security principal holding {@code cachet.admin.authority},
 * or, with {@code cachet.admin.insecure}, any request from this machine that a page of another
 * origin cannot have sent (see {@link #checkInsecure}). Built only from settings that give some
 * credentials (see {@link #from}). Immutable and thread-safe.
 */
final class AdminAccess {
  static final int MIN_TOKEN_LENGTH = 16;
  /** Fewer different characters than this are a placeholder, not a secret (16 random hex digits have about 10). */
  static final int MIN_TOKEN_DISTINCT = 5;
  static final String SECURITY_CLASS = "org.springframework.security.core.context.SecurityContextHolder";

  /** The verdict on one request. */
  enum Outcome {
    ALLOWED,
    /** No usable credentials: 401. */
    NO_CREDENTIALS,
    /** A bearer token that is not the admin token: 401. */
    BAD_TOKEN,
    /** An authenticated principal without the authority: 403. */
    FORBIDDEN,
    /** Insecure mode, a client not on this machine's loopback, or a host name that is not one: 403. */
    NOT_LOCAL,
    /** Insecure mode, a write a page of another origin sent (its {@code Origin}, {@code Sec-Fetch-Site}): 403. */
    CROSS_ORIGIN,
    /** Insecure mode, a write with a body type a cross-origin form or no-cors fetch can send: 415. */
    SIMPLE_BODY
  }

  /** Checks the current principal's authorities; implemented over Spring Security. */
  interface AuthorityCheck {
    /** {@link Outcome#ALLOWED}, {@link Outcome#FORBIDDEN} or {@link Outcome#NO_CREDENTIALS}. */
    Outcome check();
  }

  private final byte @Nullable [] tokenDigest;
  private final @Nullable AuthorityCheck authority;
  private final boolean insecure;
  private final boolean remote;

  AdminAccess(@Nullable String token, @Nullable AuthorityCheck authority, boolean insecure, boolean remote) {
    this.tokenDigest = token == null ? null : sha256(token);
    this.authority = authority;
    this.insecure = insecure;
    this.remote = remote;
  }

  /** Whether the API needs no credentials ({@code cachet.admin.insecure}). */
  boolean insecure() {
    return insecure;
  }

  /** Whether insecure mode admits clients beyond this machine ({@code cachet.admin.insecure-remote-access}). */
  boolean remote() {
    return remote;
  }

  /**
   * The access the settings describe.
   *
   * @throws IllegalStateException when they give no credentials, or unusable ones; the message
   *     says what to set
   */
  static AdminAccess from(CachetAdminProperties properties, @Nullable ClassLoader classLoader) {
    String token = blankToNull(properties.getToken());
    String authority = blankToNull(properties.getAuthority());
    if (token != null && token.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalStateException(
          "cachet.admin.token is too short to be a secret (" + token.length() + " characters, at least "
              + MIN_TOKEN_LENGTH + " needed): use a long random value, e.g. the output of 'openssl rand -hex 32'");
    }
    if (token != null && !token.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      // A client sends it in a header: a space, a control or a non-ASCII character would not
      // arrive as set (or not be accepted as a bearer token at all).
      throw new IllegalStateException("cachet.admin.token must be printable ASCII without spaces (it is sent in an"
          + " Authorization header): use a long random value, e.g. the output of 'openssl rand -hex 32'");
    }
    if (token != null && token.chars().distinct().count() < MIN_TOKEN_DISTINCT) {
      throw new IllegalStateException("cachet.admin.token repeats a few characters (" + token.chars().distinct().count()
          + " different ones), which no random secret does: use a long random value, e.g. the output of"
          + " 'openssl rand -hex 32'");
    }
    AuthorityCheck check = null;
    if (authority != null) {
      if (!isPresent(SECURITY_CLASS, classLoader)) {
        throw new IllegalStateException(
            "cachet.admin.authority is set but Spring Security is not on the class path: add"
                + " spring-boot-starter-security, or remove cachet.admin.authority and set cachet.admin.token");
      }
      check = new SpringSecurityAuthority(authority);
    }
    if (properties.isInsecure() && (token != null || check != null)) {
      // Left over from development, insecure mode would silently open an API meant to be guarded.
      throw new IllegalStateException(
          "cachet.admin.insecure=true opens the admin API to anyone, but credentials are also set"
              + " (cachet.admin.token or cachet.admin.authority): remove cachet.admin.insecure to use them,"
              + " or remove the credentials if an open admin API (local development only) is really meant.");
    }
    if (token == null && check == null && !properties.isInsecure()) {
      throw new IllegalStateException(
          "cachet.admin.enabled=true but the admin API has no credentials, and it can read and delete"
              + " every cache entry. Set cachet.admin.token to a long random secret (clients then send"
              + " 'Authorization: Bearer <token>'), or, with Spring Security, cachet.admin.authority to the"
              + " authority admins hold; or, for local development only, cachet.admin.insecure=true.");
    }
    return new AdminAccess(token, check, properties.isInsecure(), properties.isInsecureRemoteAccess());
  }

  Outcome check(HttpServletRequest request) {
    if (insecure) {
      return checkInsecure(request);
    }
    String bearer = bearer(request.getHeader("Authorization"));
    if (bearer != null && tokenDigest != null && MessageDigest.isEqual(tokenDigest, sha256(bearer))) {
      return Outcome.ALLOWED;
    }
    Outcome byAuthority = authority == null ? Outcome.NO_CREDENTIALS : authority.check();
    if (byAuthority == Outcome.NO_CREDENTIALS && bearer != null && tokenDigest != null) {
      return Outcome.BAD_TOKEN;
    }
    return byAuthority;
  }

  /**
   * Without credentials, what stands between the API and a hostile page or host: a client on this
   * machine's loopback that named a loopback host (so that no DNS rebinding turned another site's
   * name into this machine; both waived with {@code insecure-remote-access}); and, for writes,
   * no {@code Origin} but this request's own, no {@code Sec-Fetch-Site} but same-origin or none,
   * and no body of the types a cross-origin form or no-cors fetch can send (form, multipart,
   * text/plain), so that a page of another origin cannot clear the cache.
   */
  private Outcome checkInsecure(HttpServletRequest request) {
    if (!remote && !(isLoopbackAddress(request.getRemoteAddr()) && isLoopbackHost(request.getServerName()))) {
      return Outcome.NOT_LOCAL;
    }
    String method = request.getMethod();
    if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
      return Outcome.ALLOWED;
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !isOwnOrigin(origin, request)) {
      return Outcome.CROSS_ORIGIN;
    }
    String site = request.getHeader("Sec-Fetch-Site");
    if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
      return Outcome.CROSS_ORIGIN;
    }
    String type = request.getContentType();
    if (type != null) {
      String mime = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
      if (mime.equals("application/x-www-form-urlencoded") || mime.equals("multipart/form-data")
          || mime.equals("text/plain")) {
        return Outcome.SIMPLE_BODY;
      }
    }
    return Outcome.ALLOWED;
  }

  /** Whether {@code origin} is the request's own scheme, host and port. */
  static boolean isOwnOrigin(String origin, HttpServletRequest request) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(origin.trim());
    } catch (java.net.URISyntaxException e) {
      return false; // "null" (a sandboxed or opaque origin) and anything malformed
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      return false;
    }
    int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    return uri.getScheme().equalsIgnoreCase(request.getScheme())
        && uri.getHost().equalsIgnoreCase(request.getServerName())
        && port == request.getServerPort();
  }

  /** Whether {@code address} is a loopback address literal; a name is not one (nothing is looked up). */
  static boolean isLoopbackAddress(@Nullable String address) {
    if (address == null) {
      return false;
    }
    if (address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return address.startsWith("127.");
    }
    if (address.indexOf(':') < 0 || !address.matches("[0-9A-Za-z:.%_-]+")) {
      return false;
    }
    try {
      // With a colon, an IPv6 literal, parsed, never looked up; ::ffff:127.0.0.1 is loopback too.
      return java.net.InetAddress.getByName(address).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** Whether {@code host} (the request's Host) is {@code localhost} or a loopback address literal. */
  static boolean isLoopbackHost(@Nullable String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(java.util.Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return isLoopbackAddress(h);
  }

  /** The token of a {@code Bearer} authorization, or {@code null}. */
  static @Nullable String bearer(@Nullable String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  /**
   * Both sides are hashed first so that {@link MessageDigest#isEqual} compares equal lengths: the
   * time taken then says nothing about the token, not even its length.
   */
  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static boolean isPresent(String className, @Nullable ClassLoader classLoader) {
    try {
      Class.forName(className, false, classLoader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
