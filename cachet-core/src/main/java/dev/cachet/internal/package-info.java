/** Implementation details; not an API, may change in any release. */
@NullMarked
package dev.cachet.internal;

import org.jspecify.annotations.NullMarked;
