/**
 * A Jakarta Servlet filter that caches responses by the rules of {@code cachet-http}: routes
 * from a {@link dev.cachet.servlet.RouteTable} (or any {@link dev.cachet.servlet.RouteResolver}),
 * usable in any Servlet 6.1 container without Spring.
 */
@NullMarked
package dev.cachet.servlet;

import org.jspecify.annotations.NullMarked;
