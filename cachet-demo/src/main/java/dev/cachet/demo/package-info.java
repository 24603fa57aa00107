/** The Cachet demo application. */
@NullMarked
package dev.cachet.demo;

import org.jspecify.annotations.NullMarked;
