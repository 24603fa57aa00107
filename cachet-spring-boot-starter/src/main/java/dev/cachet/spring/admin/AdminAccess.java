package dev.cachet.spring.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a request may use the admin API: a bearer token equal to
 * {@code cachet.admin.token}, or a Spring Security principal holding {@code cachet.admin.authority},
 * or anything at all with {@code cachet.admin.insecure}. Built only from settings that give some
 * credentials (see {@link #from}). Immutable and thread-safe.
 */
final class AdminAccess {
  static final int MIN_TOKEN_LENGTH = 16;
  static final String SECURITY_CLASS = "org.springframework.security.core.context.SecurityContextHolder";

  /** The verdict on one request. */
  enum Outcome {
    ALLOWED,
    /** No usable credentials: 401. */
    NO_CREDENTIALS,
    /** A bearer token that is not the admin token: 401. */
    BAD_TOKEN,
    /** An authenticated principal without the authority: 403. */
    FORBIDDEN
  }

  /** Checks the current principal's authorities; implemented over Spring Security. */
  interface AuthorityCheck {
    /** {@link Outcome#ALLOWED}, {@link Outcome#FORBIDDEN} or {@link Outcome#NO_CREDENTIALS}. */
    Outcome check();
  }

  private final byte @Nullable [] tokenDigest;
  private final @Nullable AuthorityCheck authority;
  private final boolean insecure;

  AdminAccess(@Nullable String token, @Nullable AuthorityCheck authority, boolean insecure) {
    this.tokenDigest = token == null ? null : sha256(token);
    this.authority = authority;
    this.insecure = insecure;
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
    return new AdminAccess(token, check, properties.isInsecure());
  }

  Outcome check(HttpServletRequest request) {
    if (insecure) {
      return Outcome.ALLOWED;
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
