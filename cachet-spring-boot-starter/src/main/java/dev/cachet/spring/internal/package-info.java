/** Cachet for Spring Boot: internal. */
@NullMarked
package dev.cachet.spring.internal;

import org.jspecify.annotations.NullMarked;
