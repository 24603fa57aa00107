package dev.cachet.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Where a key listing goes on from: the store's scan cursor of the page to read ({@code null} for
 * the first) and the last store key already listed from that page ({@code null} for none). Its
 * text form is opaque to callers, URL-safe, and round-trips exactly.
 */
record ListingCursor(@Nullable String scanCursor, @Nullable String lastListed) {
  private static final String VERSION = "k1";
  private static final ListingCursor START = new ListingCursor(null, null);

  /**
   * The text form, or {@code null} when there is nothing left: no further scan page and nothing
   * listed inside one.
   */
  static @Nullable String encode(@Nullable String scanCursor, @Nullable String lastListed) {
    if (scanCursor == null && lastListed == null) {
      return null;
    }
    return VERSION + "." + part(scanCursor) + "." + part(lastListed);
  }

  /**
   * The text form of the start of the listing, for a listing that has to start over: unlike a
   * {@code null} cursor it does not say that the listing is complete.
   */
  static String startOver() {
    return VERSION + "..";
  }

  /**
   * Reads a cursor {@link #encode} or {@link #startOver} gave; {@code null} is the start of the listing.
   *
   * @throws IllegalArgumentException for text no listing gave
   */
  static ListingCursor parse(@Nullable String text) {
    if (text == null) {
      return START;
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(VERSION)) {
      throw new IllegalArgumentException("not a cursor a key listing gave: '" + text + "'");
    }
    return new ListingCursor(value(parts[1], text), value(parts[2], text));
  }

  // Null is the empty part; a value is '~' and its base64url form, which never holds a '.'.
  private static String part(@Nullable String value) {
    return value == null ? "" : "~" + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static @Nullable String value(String part, String text) {
    if (part.isEmpty()) {
      return null;
    }
    if (part.charAt(0) != '~') {
      throw new IllegalArgumentException("not a cursor a key listing gave: '" + text + "'");
    }
    try {
      return new String(Base64.getUrlDecoder().decode(part.substring(1)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a cursor a key listing gave: '" + text + "'", e);
    }
  }
}
