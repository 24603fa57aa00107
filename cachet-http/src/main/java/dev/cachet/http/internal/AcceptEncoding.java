package dev.cachet.http.internal;

import java.util.List;
import java.util.Locale;

/**
 * Whether a request's {@code Accept-Encoding} lets it have a gzip representation rather than the
 * identity one (RFC 9110 section 12.5.3). Stateless and thread-safe.
 *
 * <ul>
 *   <li>No field: no preference, and identity is always acceptable then; the identity
 *       representation is sent, which every client can read.
 *   <li>{@code gzip} (or its alias {@code x-gzip}) with a weight above 0 takes gzip; without a
 *       member of its own, {@code *} stands for it. {@code gzip;q=0} refuses it.
 *   <li>When {@code identity} (or {@code *} standing for it) is listed with a higher weight than
 *       gzip, identity is sent; with an equal weight, gzip (the smaller).
 *   <li>An empty field value wants no coding. A member whose weight is not a valid qvalue is
 *       ignored.
 * </ul>
 */
public final class AcceptEncoding {
  private static final int ABSENT = -1;

  private AcceptEncoding() {}

  /** Whether to send gzip to a request with these {@code Accept-Encoding} field lines. */
  public static boolean prefersGzip(List<String> fieldLines) {
    int gzip = ABSENT;
    int identity = ABSENT;
    int any = ABSENT;
    for (String line : fieldLines) {
      for (String member : line.split(",")) {
        int semi = member.indexOf(';');
        String coding = (semi < 0 ? member : member.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        if (coding.isEmpty()) {
          continue;
        }
        int weight = semi < 0 ? 1000 : weight(member.substring(semi + 1));
        if (weight == ABSENT) {
          continue;
        }
        switch (coding) {
          case "gzip", "x-gzip" -> gzip = Math.max(gzip, weight);
          case "identity" -> identity = Math.max(identity, weight);
          case "*" -> any = Math.max(any, weight);
          default -> { }
        }
      }
    }
    int g = gzip != ABSENT ? gzip : any;
    int i = identity != ABSENT ? identity : any;
    return g > 0 && g >= i;
  }

  /**
   * The weight of a member's parameters in thousandths ({@code q=0.5} is 500), 1000 without a
   * {@code q}, or {@link #ABSENT} when its {@code q} is not a qvalue ({@code 0}, {@code 1} or
   * up to three decimals).
   */
  private static int weight(String parameters) {
    for (String p : parameters.split(";")) {
      int eq = p.indexOf('=');
      if (eq < 0 || !p.substring(0, eq).trim().equalsIgnoreCase("q")) {
        continue;
      }
      return qvalue(p.substring(eq + 1).trim());
    }
    return 1000;
  }

  private static int qvalue(String q) {
    if (q.isEmpty() || q.length() > 5 || (q.charAt(0) != '0' && q.charAt(0) != '1')) {
      return ABSENT;
    }
    int whole = q.charAt(0) - '0';
    if (q.length() == 1) {
      return whole * 1000;
    }
    if (q.charAt(1) != '.') {
      return ABSENT;
    }
    int thousandths = 0;
    int scale = 100;
    for (int i = 2; i < q.length(); i++, scale /= 10) {
      char c = q.charAt(i);
      if (c < '0' || c > '9') {
        return ABSENT;
      }
      thousandths += (c - '0') * scale;
    }
    if (whole == 1 && thousandths > 0) {
      return ABSENT;
    }
    return whole * 1000 + thousandths;
  }
}
