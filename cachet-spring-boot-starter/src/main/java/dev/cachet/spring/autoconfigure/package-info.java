/** Cachet for Spring Boot: autoconfigure. */
@NullMarked
package dev.cachet.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
