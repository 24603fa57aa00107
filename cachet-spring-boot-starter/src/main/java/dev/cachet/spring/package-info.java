/** Cachet for Spring Boot. */
@NullMarked
package dev.cachet.spring;

import org.jspecify.annotations.NullMarked;
