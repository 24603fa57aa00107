/** The HTTP response cache for Spring MVC: {@code @CacheResponse} and write invalidation. */
@NullMarked
package dev.cachet.spring.web;

import org.jspecify.annotations.NullMarked;
