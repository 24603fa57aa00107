/** Implementation of {@code dev.cachet.http}; not an API, may change in any release. */
@NullMarked
package dev.cachet.http.internal;

import org.jspecify.annotations.NullMarked;
