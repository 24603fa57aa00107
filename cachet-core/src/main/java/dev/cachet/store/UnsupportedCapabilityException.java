package dev.cachet.store;

import java.util.Objects;

/**
 * Thrown when an operation needs a {@link StoreCapability} that the configured store lacks, for
 * example deleting by pattern on Memcached. The message says what to use instead.
 */
public final class UnsupportedCapabilityException extends UnsupportedOperationException {
  private static final long serialVersionUID = 1L;

  private final StoreCapability capability;

  public UnsupportedCapabilityException(StoreCapability capability, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.capability = Objects.requireNonNull(capability, "capability");
  }

  /** The capability the store lacks. */
  public StoreCapability capability() {
    return capability;
  }
}
