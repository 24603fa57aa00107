package dev.cachet.store;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Wraps a remote store with a circuit breaker, so that while the store is down each request pays
 * nothing for it instead of a timeout.
 *
 * <p>After {@code failureThreshold} consecutive failures the circuit opens: every call fails at
 * once with {@link StoreUnavailableException} for {@code openDuration}. Then one call at a time is
 * let through as a probe (half-open): success closes the circuit, failure opens it again. Any
 * success resets the failure count. {@link UnsupportedOperationException},
 * {@link IllegalArgumentException} and {@link IncompleteScanException} pass through uncounted:
 * they say nothing about the store's health. Thread-safe.
 */
public final class CircuitBreakerStore implements CacheStore, CircuitAware {
  /** The breaker's state. */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final CacheStore delegate;
  private final Clock clock;
  private final int failureThreshold;
  private final long openMillis;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile long openUntil = Long.MIN_VALUE;
  private volatile boolean open;

  private CircuitBreakerStore(Builder b) {
    this.delegate = Objects.requireNonNull(b.delegate);
    this.clock = b.clock;
    this.failureThreshold = b.failureThreshold;
    this.openMillis = b.openDuration.toMillis();
  }

  /** A builder around {@code delegate}: 5 failures open the circuit for 5 s by default. */
  public static Builder builder(CacheStore delegate) {
    return new Builder(Objects.requireNonNull(delegate, "delegate"));
  }

  @Override
  public State circuitState() {
    return state();
  }

  /** The current state. */
  public State state() {
    if (!open) {
      return State.CLOSED;
    }
    return clock.millis() < openUntil ? State.OPEN : State.HALF_OPEN;
  }

  /** The wrapped store. */
  public CacheStore delegate() {
    return delegate;
  }

  private <T> T call(Supplier<T> action) {
    boolean probe = false;
    if (open) {
      if (clock.millis() < openUntil || !probing.compareAndSet(false, true)) {
        throw new StoreUnavailableException("store circuit is open; skipping the call");
      }
      probe = true;
    }
    try {
      T result = action.get();
      consecutiveFailures.set(0);
      open = false;
      return result;
    } catch (UnsupportedOperationException | IllegalArgumentException | IncompleteScanException e) {
      // The caller's mistake, a missing capability or keys moved during a scan: the store answered.
      throw e;
    } catch (RuntimeException e) {
      if (probe || consecutiveFailures.incrementAndGet() >= failureThreshold) {
        openUntil = clock.millis() + openMillis;
        open = true;
      }
      throw e;
    } finally {
      if (probe) {
        probing.set(false);
      }
    }
  }

  private void run(Runnable action) {
    call(() -> {
      action.run();
      return null;
    });
  }

  @Override
  public byte @Nullable [] get(String key) {
    return call(() -> delegate.get(key));
  }

  @Override
  public void put(String key, byte[] value, Duration ttl) {
    run(() -> delegate.put(key, value, ttl));
  }

  @Override
  public boolean delete(String key) {
    return call(() -> delegate.delete(key));
  }

  @Override
  public long[] getVersions(List<String> keys) {
    return call(() -> delegate.getVersions(keys));
  }

  @Override
  public EntryAndVersions getWithVersions(String key, List<String> versionKeys) {
    return call(() -> delegate.getWithVersions(key, versionKeys));
  }

  @Override
  public EntryAndVersions getAuthoritative(String key, List<String> versionKeys) {
    return call(() -> delegate.getAuthoritative(key, versionKeys));
  }

  @Override
  public void setVersion(String key, long version, Duration ttl) {
    run(() -> delegate.setVersion(key, version, ttl));
  }

  @Override
  public long setVersionIfAbsent(String key, long version, Duration ttl) {
    return call(() -> delegate.setVersionIfAbsent(key, version, ttl));
  }

  @Override
  public long[] setVersionsIfAbsent(List<String> keys, long[] versions, Duration ttl) {
    return call(() -> delegate.setVersionsIfAbsent(keys, versions, ttl));
  }

  @Override
  public void touchVersions(List<String> keys, Duration ttl) {
    run(() -> delegate.touchVersions(keys, ttl));
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return delegate.capabilities();
  }

  @Override
  public ScanPage scan(String pattern, @Nullable String cursor, int count) {
    return call(() -> delegate.scan(pattern, cursor, count));
  }

  @Override
  public @Nullable Duration ttl(String key) {
    return call(() -> delegate.ttl(key));
  }

  @Override
  public boolean tryLock(String key, String token, Duration lease) {
    return call(() -> delegate.tryLock(key, token, lease));
  }

  @Override
  public void unlock(String key, String token) {
    run(() -> delegate.unlock(key, token));
  }

  /** The wrapped store's, read without going through the breaker: it is a field, not a call. */
  @Override
  public long incarnation() {
    return delegate.incarnation();
  }

  @Override
  public long evictionCount() {
    return delegate.evictionCount();
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** Builds a {@link CircuitBreakerStore}; each setter once. Not thread-safe. */
  public static final class Builder {
    private final CacheStore delegate;
    private Clock clock = Clock.systemUTC();
    private int failureThreshold = 5;
    private Duration openDuration = Duration.ofSeconds(5);
    private boolean clockSet;
    private boolean thresholdSet;
    private boolean durationSet;

    private Builder(CacheStore delegate) {
      this.delegate = delegate;
    }

    /** Consecutive failures that open the circuit; at least 1. */
    public Builder failureThreshold(int failures) {
      if (thresholdSet) {
        throw new IllegalStateException("failureThreshold was already set");
      }
      if (failures < 1) {
        throw new IllegalArgumentException("failureThreshold must be at least 1: " + failures);
      }
      this.failureThreshold = failures;
      thresholdSet = true;
      return this;
    }

    /** How long the circuit stays open before a probe; positive. */
    public Builder openDuration(Duration duration) {
      if (durationSet) {
        throw new IllegalStateException("openDuration was already set");
      }
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("openDuration must be positive: " + duration);
      }
      this.openDuration = duration;
      durationSet = true;
      return this;
    }

    /** The clock the open period is timed by. */
    public Builder clock(Clock clock) {
      if (clockSet) {
        throw new IllegalStateException("clock was already set");
      }
      this.clock = Objects.requireNonNull(clock, "clock");
      clockSet = true;
      return this;
    }

    public CircuitBreakerStore build() {
      return new CircuitBreakerStore(this);
    }
  }
}
