package dev.cachet.spring.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.context.request.async.WebAsyncManager;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

/**
 * Tells which asynchronous Spring MVC requests write their whole response in a later
 * {@code ASYNC} dispatch, so that the filter may capture and store it: those whose handler
 * returned a {@code Callable}, {@code WebAsyncTask}, {@code DeferredResult} or
 * {@code CompletableFuture} (any {@code CompletionStage}), which Spring dispatches once the result
 * is there and writes then. Not the streaming ones ({@code ResponseBodyEmitter},
 * {@code SseEmitter}, {@code StreamingResponseBody}), which write from another thread as they go
 * and which Spring marks for its own {@link ShallowEtagHeaderFilter} (the attribute
 * {@link #STREAMING} names), nor an asynchronous request that Spring did not start. Stateless.
 */
final class AsyncDispatches {
  /** The request attribute {@link ShallowEtagHeaderFilter#disableContentCaching} sets. */
  static final String STREAMING = ShallowEtagHeaderFilter.class.getName() + ".STREAMING";

  private AsyncDispatches() {}

  /** Whether {@code request}, now asynchronous, is answered whole in a later dispatch. */
  static boolean writtenOnDispatch(HttpServletRequest request) {
    return request.getAttribute(WebAsyncUtils.WEB_ASYNC_MANAGER_ATTRIBUTE) instanceof WebAsyncManager async
        && async.isConcurrentHandlingStarted()
        && request.getAttribute(STREAMING) == null;
  }
}
