package dev.cachet.http.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Entity tags: a strong tag computed from a body, and {@code If-None-Match} evaluation with the
 * weak comparison RFC 9110 section 13.1.2 prescribes for it. Stateless and thread-safe.
 */
public final class ETags {
  private ETags() {}

  /**
   * The strong entity tag of {@code body}: the base64url SHA-256 of its bytes in quotes. Equal
   * bodies get equal tags in every process, whatever the JVM or the host.
   */
  public static String strong(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The opaque part of an entity tag ({@code "x"} of {@code W/"x"}), or {@code null} if malformed. */
  static @Nullable String opaque(String etag) {
    String t = etag.trim();
    if (t.startsWith("W/")) {
      t = t.substring(2);
    }
    if (t.length() < 2 || t.charAt(0) != '"' || t.charAt(t.length() - 1) != '"') {
      return null;
    }
    String inner = t.substring(1, t.length() - 1);
    return inner.indexOf('"') >= 0 ? null : t;
  }

  /**
   * Whether {@code If-None-Match} field lines match a current representation whose tag is
   * {@code etag}: {@code *} matches any representation; otherwise a listed tag must equal it
   * under weak comparison (a {@code W/} prefix on either side is ignored). A malformed member is
   * skipped.
   */
  public static boolean ifNoneMatchMatches(List<String> fieldValues, @Nullable String etag) {
    String mine = etag == null ? null : opaque(etag);
    for (String member : members(fieldValues)) {
      if (member.equals("*")) {
        return true;
      }
      String theirs = opaque(member);
      if (mine != null && theirs != null && theirs.equals(mine)) {
        return true;
      }
    }
    return false;
  }

  /** Splits field lines into members; commas inside quotes (allowed in entity tags) do not split. */
  static List<String> members(List<String> fieldValues) {
    List<String> out = new ArrayList<>();
    for (String line : fieldValues) {
      int i = 0;
      int n = line.length();
      while (i < n) {
        while (i < n && (line.charAt(i) == ',' || line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
          i++;
        }
        int start = i;
        boolean quoted = false;
        while (i < n && (quoted || line.charAt(i) != ',')) {
          if (line.charAt(i) == '"') {
            quoted = !quoted;
          }
          i++;
        }
        String member = line.substring(start, i).trim();
        if (!member.isEmpty()) {
          out.add(member);
        }
      }
    }
    return out;
  }
}
