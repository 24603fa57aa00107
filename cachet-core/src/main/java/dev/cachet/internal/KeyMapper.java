package dev.cachet.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * Maps callers' keys and tags to store keys under one namespace.
 *
 * <p>Layout: {@code <ns>:k:<key>} entries, {@code <ns>:t:<tag>} and {@code <ns>:s:<tag>} the hard
 * and soft versions of a tag, {@code <ns>:n} the namespace version, {@code <ns>:i} the store
 * incarnation the namespace was last validated against ({@code CacheStore#incarnation}),
 * {@code <ns>:l:<key>} locks.
 * A key is used as it is when it is at most {@value #MAX_LITERAL} characters of printable ASCII
 * other than space and {@code ~}; any other key becomes its longest such prefix (at most
 * {@value #VISIBLE_PREFIX} characters), {@code ~}, and the base64url SHA-256 of its UTF-16 code
 * units (lossless: keys that differ only in unpaired surrogates still hash apart).
 * Literal keys never contain {@code ~}, so a literal key can never collide with a hashed one.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyMapper {
  public static final int MAX_LITERAL = 200;
  public static final int VISIBLE_PREFIX = 64;
  public static final char HASH_MARK = '~';

  private final String namespace;
  private final String entryPrefix;
  private final String hardPrefix;
  private final String softPrefix;
  private final String lockPrefix;
  private final String namespaceKey;
  private final String incarnationKey;

  public KeyMapper(String namespace) {
    this.namespace = validateNamespace(namespace);
    this.entryPrefix = namespace + ":k:";
    this.hardPrefix = namespace + ":t:";
    this.softPrefix = namespace + ":s:";
    this.lockPrefix = namespace + ":l:";
    this.namespaceKey = namespace + ":n";
    this.incarnationKey = namespace + ":i";
  }

  /**
   * Checks a namespace: 1 to 64 characters of letters, digits, {@code . _ -}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static String validateNamespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    if (namespace.isEmpty() || namespace.length() > 64) {
      throw new IllegalArgumentException("namespace must be 1 to 64 characters: '" + namespace + "'");
    }
    for (int i = 0; i < namespace.length(); i++) {
      char c = namespace.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
              || c == '.' || c == '_' || c == '-';
      if (!ok) {
        throw new IllegalArgumentException(
            "namespace may hold only letters, digits, '.', '_' and '-': '" + namespace + "'");
      }
    }
    return namespace;
  }

  public String namespace() {
    return namespace;
  }

  public String entryKey(String key) {
    return entryPrefix + encode(key);
  }

  public String hardVersionKey(String tag) {
    return hardPrefix + encode(tag);
  }

  public String softVersionKey(String tag) {
    return softPrefix + encode(tag);
  }

  public String hardVersionKeyOfEncoded(String encodedTag) {
    return hardPrefix + encodedTag;
  }

  public String softVersionKeyOfEncoded(String encodedTag) {
    return softPrefix + encodedTag;
  }

  public String namespaceVersionKey() {
    return namespaceKey;
  }

  /** The key of the store incarnation this namespace was last validated against. */
  public String incarnationKey() {
    return incarnationKey;
  }

  public String lockKey(String key) {
    return lockPrefix + encode(key);
  }

  /** The prefix every entry key of this namespace starts with. */
  public String entryPrefix() {
    return entryPrefix;
  }

  /** Whether {@code key} is used literally, not hashed. */
  public static boolean isLiteral(String key) {
    if (key.length() > MAX_LITERAL) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      if (!isSafe(key.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether the store key {@code storeKey} holds a hashed caller key. */
  public static boolean isHashed(String storeKey) {
    return storeKey.indexOf(HASH_MARK) >= 0;
  }

  /**
   * What the store form of every key that starts with {@code keyStart} starts with (after the
   * entry prefix): its longest prefix of characters a literal key may hold, at most
   * {@value #VISIBLE_PREFIX} long, which a hashed key keeps visible. Empty when there is none.
   */
  public String storeKeyStart(String keyStart) {
    int n = 0;
    while (n < keyStart.length() && n < VISIBLE_PREFIX && isSafe(keyStart.charAt(n))) {
      n++;
    }
    return keyStart.substring(0, n);
  }

  /** The caller's key of a literal entry key, or the visible prefix of a hashed one. */
  public String visiblePart(String entryKey) {
    String rest = entryKey.substring(entryPrefix.length());
    int mark = rest.indexOf(HASH_MARK);
    return mark < 0 ? rest : rest.substring(0, mark);
  }

  static boolean isSafe(char c) {
    return c > 0x20 && c < 0x7F && c != HASH_MARK;
  }

  /** The store form of a caller's key or tag (without namespace). */
  public static String encode(String key) {
    Objects.requireNonNull(key, "key");
    if (isLiteral(key)) {
      return key;
    }
    int visible = 0;
    while (visible < key.length() && visible < VISIBLE_PREFIX && isSafe(key.charAt(visible))) {
      visible++;
    }
    return key.substring(0, visible) + HASH_MARK + sha256(key);
  }

  /** SHA-256 of the key's UTF-16 code units: lossless, so unpaired surrogates hash apart too. */
  private static String sha256(String key) {
    try {
      byte[] units = new byte[key.length() * 2];
      for (int i = 0; i < key.length(); i++) {
        char c = key.charAt(i);
        units[2 * i] = (byte) (c >>> 8);
        units[2 * i + 1] = (byte) c;
      }
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(units);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
