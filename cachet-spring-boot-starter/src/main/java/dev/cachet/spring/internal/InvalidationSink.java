package dev.cachet.spring.internal;

/**
 * Takes the invalidations of a controller method to apply them once the response status is known;
 * implemented by the web layer.
 */
public interface InvalidationSink {
  /**
   * Keeps {@code rendered} for the current request.
   *
   * @return {@code false} when no request is in progress (the caller then applies it at once)
   */
  boolean defer(RenderedInvalidation rendered);
}
