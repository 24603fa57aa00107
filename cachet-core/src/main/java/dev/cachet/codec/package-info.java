/** Value codecs that need optional dependencies (Jackson 3 for JSON). */
@NullMarked
package dev.cachet.codec;

import org.jspecify.annotations.NullMarked;
