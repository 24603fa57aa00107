package dev.cachet;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How one entry is cached: how long it is fresh, how its lifetime is spread, which tags it
 * carries, and how long it may be served stale.
 *
 * <p>Timeline of an entry written at {@code t}: fresh until {@code t + ttl} (less jitter); from
 * {@code t + refreshAhead * ttl} a hit also starts a background refresh; after {@code ttl} it is
 * served stale while one background refresh runs, for up to {@link #staleWhileRevalidate()}; and
 * when a reload fails it is served instead of the error for up to {@link #staleIfError()}.
 *
 * <p>Immutable and thread-safe. {@link Duration#ZERO} windows and a {@code 0} threshold mean
 * "off".
 *
 * @param ttl how long an entry is fresh; positive
 * @param jitter fraction in {@code [0, 1)} of the TTL by which it is randomly shortened, so that
 *     entries written together do not expire together
 * @param tags labels for {@link Cachet#invalidateTags}; never empty strings, at most
 *     {@link #MAX_TAGS}
 * @param staleWhileRevalidate how long after the TTL the entry may be served while it refreshes
 * @param staleIfError how long after the TTL the entry may be served when its reload fails
 * @param refreshAhead fraction in {@code [0, 1)} of the TTL after which a hit refreshes the entry
 *     in the background; {@code 0} is off
 * @param distributedLock whether concurrent misses in different processes are serialized by a
 *     store lock (only where the store has one)
 */
public record CachePolicy(
    Duration ttl,
    double jitter,
    Set<String> tags,
    Duration staleWhileRevalidate,
    Duration staleIfError,
    double refreshAhead,
    boolean distributedLock) {

  /** Longest TTL or window accepted: about 100 years, so that instants never overflow. */
  public static final Duration MAX_DURATION = Duration.ofDays(36_500);

  /**
   * Most tags one entry may carry. Each costs two version reads on every hit of a tagged entry
   * and two version keys in the store, and an entry records them all.
   */
  public static final int MAX_TAGS = 1_000;

  public CachePolicy {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(tags, "tags");
    Objects.requireNonNull(staleWhileRevalidate, "staleWhileRevalidate");
    Objects.requireNonNull(staleIfError, "staleIfError");
    requirePositive("ttl", ttl);
    requireWindow("staleWhileRevalidate", staleWhileRevalidate);
    requireWindow("staleIfError", staleIfError);
    requireFraction("jitter", jitter);
    requireFraction("refreshAhead", refreshAhead);
    for (String tag : tags) {
      if (Objects.requireNonNull(tag, "tag").isEmpty()) {
        throw new IllegalArgumentException("tags must not be empty strings");
      }
    }
    tags = Set.copyOf(tags);
    if (tags.size() > MAX_TAGS) {
      throw new IllegalArgumentException("at most " + MAX_TAGS + " tags: " + tags.size());
    }
  }

  /** A policy with only a TTL. */
  public static CachePolicy ofTtl(Duration ttl) {
    return builder().ttl(ttl).build();
  }

  /** A builder; only {@link Builder#ttl} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this policy's values, for deriving a variant. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.ttl = ttl;
    b.jitter = jitter;
    b.tags.addAll(tags);
    b.staleWhileRevalidate = staleWhileRevalidate;
    b.staleIfError = staleIfError;
    b.refreshAhead = refreshAhead;
    b.distributedLock = distributedLock;
    return b;
  }

  private static void requirePositive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    if (d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(name + " must be at most " + MAX_DURATION + ": " + d);
    }
  }

  private static void requireWindow(String name, Duration d) {
    if (d.isNegative() || d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(name + " must be in [0, " + MAX_DURATION + "]: " + d);
    }
  }

  private static void requireFraction(String name, double value) {
    if (!(value >= 0.0 && value < 1.0)) {
      throw new IllegalArgumentException(name + " must be in [0, 1): " + value);
    }
  }

  /**
   * Builds a {@link CachePolicy}. Each setter may be called once ({@link IllegalStateException}
   * otherwise); values are checked as they are set ({@link IllegalArgumentException}). Not
   * thread-safe.
   */
  public static final class Builder {
    private Duration ttl = Duration.ZERO;
    private double jitter;
    private final Set<String> tags = new LinkedHashSet<>();
    private Duration staleWhileRevalidate = Duration.ZERO;
    private Duration staleIfError = Duration.ZERO;
    private double refreshAhead;
    private boolean distributedLock;
    private final Set<String> set = new java.util.HashSet<>();

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    /** How long entries are fresh; positive. */
    public Builder ttl(Duration ttl) {
      once("ttl");
      requirePositive("ttl", Objects.requireNonNull(ttl, "ttl"));
      this.ttl = ttl;
      return this;
    }

    /** Shortens each TTL by a random fraction up to {@code fraction}, in {@code [0, 1)}; zero is off. */
    public Builder jitter(double fraction) {
      once("jitter");
      requireFraction("jitter", fraction);
      this.jitter = fraction;
      return this;
    }

    /** Adds tags; may be called more than once. See {@link #tags(Collection)}. */
    public Builder tags(String... tags) {
      return tags(Arrays.asList(Objects.requireNonNull(tags, "tags")));
    }

    /**
     * Adds tags; may be called more than once.
     *
     * @throws IllegalArgumentException when a tag is empty, or the tags added so far are more
     *     than {@link #MAX_TAGS}
     */
    public Builder tags(Collection<String> tags) {
      for (String tag : Objects.requireNonNull(tags, "tags")) {
        if (Objects.requireNonNull(tag, "tag").isEmpty()) {
          throw new IllegalArgumentException("tags must not be empty strings");
        }
        this.tags.add(tag);
        if (this.tags.size() > MAX_TAGS) {
          throw new IllegalArgumentException("at most " + MAX_TAGS + " tags: one more than that was added");
        }
      }
      return this;
    }

    /**
     * Serve stale for up to {@code window} after the TTL while one refresh runs; zero is off (the
     * default).
     */
    public Builder staleWhileRevalidate(Duration window) {
      once("staleWhileRevalidate");
      requireWindow("staleWhileRevalidate", Objects.requireNonNull(window, "window"));
      this.staleWhileRevalidate = window;
      return this;
    }

    /**
     * Serve stale for up to {@code window} after the TTL when the reload fails; zero is off (the
     * default).
     */
    public Builder staleIfError(Duration window) {
      once("staleIfError");
      requireWindow("staleIfError", Objects.requireNonNull(window, "window"));
      this.staleIfError = window;
      return this;
    }

    /**
     * Refresh in the background once {@code threshold} of the TTL has passed, in {@code [0, 1)};
     * zero is off (the default).
     */
    public Builder refreshAhead(double threshold) {
      once("refreshAhead");
      requireFraction("refreshAhead", threshold);
      this.refreshAhead = threshold;
      return this;
    }

    /** Serialize misses of one key across processes with a store lock, where the store has one. */
    public Builder distributedLock(boolean enabled) {
      once("distributedLock");
      this.distributedLock = enabled;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalStateException when no TTL was set
     */
    public CachePolicy build() {
      if (ttl.isZero()) {
        throw new IllegalStateException("ttl is required");
      }
      return new CachePolicy(
          ttl, jitter, tags, staleWhileRevalidate, staleIfError, refreshAhead, distributedLock);
    }
  }
}
