package dev.cachet.spring.web;

import dev.cachet.Cachet;
import dev.cachet.http.Invalidator;
import dev.cachet.servlet.WriteListener;
import dev.cachet.spring.internal.InvalidationApplier;
import dev.cachet.spring.internal.InvalidationSink;
import dev.cachet.spring.internal.RenderedInvalidation;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * {@code @InvalidateCache} on controller methods: the invalidations rendered from the method's
 * arguments wait in the request until the response status is known, and are applied only when
 * the write {@linkplain Invalidator#succeeded succeeded} ({@code 2xx} or {@code 3xx}), before the
 * response is sent. Thread-safe.
 */
final class DeferredInvalidations implements InvalidationSink, WriteListener {
  private static final String ATTRIBUTE = DeferredInvalidations.class.getName();

  private final Supplier<Cachet> cachet;

  DeferredInvalidations(Supplier<Cachet> cachet) {
    this.cachet = cachet;
  }

  @Override
  @SuppressWarnings("unchecked")
  public boolean defer(RenderedInvalidation rendered) {
    RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
    if (attributes == null) {
      return false;
    }
    Object pending = attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    List<RenderedInvalidation> list = pending instanceof List<?> l ? (List<RenderedInvalidation>) l : new ArrayList<>();
    list.add(rendered);
    attributes.setAttribute(ATTRIBUTE, list, RequestAttributes.SCOPE_REQUEST);
    return true;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void afterWrite(HttpServletRequest request, int status) {
    Object pending = request.getAttribute(ATTRIBUTE);
    request.removeAttribute(ATTRIBUTE);
    if (Invalidator.succeeded(status) && pending instanceof List<?> list) {
      for (RenderedInvalidation rendered : (List<RenderedInvalidation>) list) {
        InvalidationApplier.apply(cachet.get(), rendered);
      }
    }
  }
}
