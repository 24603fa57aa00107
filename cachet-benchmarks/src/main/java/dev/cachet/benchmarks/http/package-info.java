/**
 * A Spring Boot application for HTTP load benchmarks of the Spring MVC response cache: endpoints
 * that serve one JSON document through Cachet, through Spring's {@code @Cacheable}, uncached,
 * and as precomputed bytes. Run by {@code cachet-benchmarks/http-bench.sh}; see
 * {@code docs/benchmarks.md}.
 */
@NullMarked
package dev.cachet.benchmarks.http;

import org.jspecify.annotations.NullMarked;
