/**
 * Operating Cachet in a Spring Boot application: the admin REST API and its dashboard page
 * ({@code cachet.admin.*}, off by default and always behind credentials), Micrometer meters, and
 * an actuator endpoint and health indicator when actuator is present.
 */
@NullMarked
package dev.cachet.spring.admin;

import org.jspecify.annotations.NullMarked;
