/**
 * Cachet's public API: the {@link dev.cachet.Cachet} facade, {@link dev.cachet.CachePolicy},
 * {@link dev.cachet.Codec} and {@link dev.cachet.CacheStats}.
 */
@NullMarked
package dev.cachet;

import org.jspecify.annotations.NullMarked;
