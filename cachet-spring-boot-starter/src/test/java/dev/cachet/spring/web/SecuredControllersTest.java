package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Controllers that method security guards, behind real Spring Security on real Tomcat: a hit is
 * answered before the method (and its {@code @PreAuthorize}) runs, so a caller authenticated by
 * an API-key header is not served a shared entry, and a shared route under method security fails
 * the start. A {@code @CacheResponse} on a mapping no {@code GET} reaches fails the start too.
 */
class SecuredControllersTest {
  static final AtomicInteger runs = new AtomicInteger();

  /** Signs callers in from {@code X-Api-Key}: no {@code Authorization} header, no cookie. */
  static final class ApiKeyFilter extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws java.io.IOException, jakarta.servlet.ServletException {
      String key = request.getHeader("X-Api-Key");
      if (key != null && key.startsWith("key-")) {
        String user = key.substring(4);
        String[] roles = user.equals("ada") ? new String[] {"ROLE_USER", "ROLE_ADMIN"} : new String[] {"ROLE_USER"};
        SecurityContextHolder.getContext().setAuthentication(
            new UsernamePasswordAuthenticationToken(user, null, AuthorityUtils.createAuthorityList(roles)));
      }
      chain.doFilter(request, response);
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableWebSecurity
  @EnableMethodSecurity(jsr250Enabled = true)
  static class App {
    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
      return http.csrf(c -> c.disable())
          .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .addFilterBefore(new ApiKeyFilter(), AnonymousAuthenticationFilter.class)
          .authorizeHttpRequests(a -> a.anyRequest().permitAll())
          .build();
    }

    /** Where Spring Boot's security auto-configuration registers the chain. */
    @Bean
    FilterRegistrationBean<Filter> securityRegistration(@Qualifier("springSecurityFilterChain") Filter chain) {
      FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(chain);
      registration.setOrder(-100);
      return registration;
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  static class GuardedApp extends App {
    @Bean
    Salaries salaries() {
      return new Salaries();
    }
  }

  @RestController
  static class Salaries {
    @GetMapping("/salaries")
    @PreAuthorize("hasRole('ADMIN')")
    @CacheResponse(ttl = "10m")
    Map<String, Object> salaries() {
      return Map.of("salaries", "ada=100k", "run", runs.incrementAndGet());
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(GuardedApp.class);

  @Test
  void aCallerAuthenticatedByAnotherHeaderIsNeverServedAnotherCallersEntry() throws Exception {
    HttpResponse<String> ada = app.get("/salaries", "X-Api-Key", "key-ada");
    assertThat(ada.statusCode()).isEqualTo(200);
    assertThat(ada.headers().firstValue("X-Cache")).hasValue("BYPASS");
    assertThat(ada.headers().firstValue("Cache-Status").orElseThrow()).contains("detail=credentials");

    HttpResponse<String> bob = app.get("/salaries", "X-Api-Key", "key-bob");
    assertThat(bob.statusCode()).isEqualTo(403);
    HttpResponse<String> anonymous = app.get("/salaries");
    assertThat(anonymous.statusCode()).isIn(401, 403);
    assertThat(anonymous.body()).doesNotContain("100k");
    assertThat(app.get("/salaries", "X-Api-Key", "key-ada").statusCode()).isEqualTo(200);
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  static class SharedUnderPreAuthorize extends App {
    @Bean
    Shared shared() {
      return new Shared();
    }
  }

  @RestController
  static class Shared {
    @GetMapping("/report")
    @PreAuthorize("hasRole('ADMIN')")
    @CacheResponse(ttl = "10m", shared = true)
    Map<String, Object> report() {
      return Map.of("report", "payroll");
    }
  }

  @RolesAllowed("ADMIN")
  @RestController
  static class SharedUnderClassLevelRoles {
    @GetMapping("/roles-report")
    @CacheResponse(ttl = "10m", shared = true)
    Map<String, Object> report() {
      return Map.of("report", "payroll");
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  static class SharedUnderRolesApp extends App {
    @Bean
    SharedUnderClassLevelRoles roles() {
      return new SharedUnderClassLevelRoles();
    }
  }

  @RestController
  static class PerCaller {
    @GetMapping("/mine")
    @PreAuthorize("isAuthenticated()")
    @CacheResponse(ttl = "10m", shared = true, varyByPrincipal = true)
    Map<String, Object> mine() {
      return Map.of("mine", "yes");
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  static class PerCallerApp extends App {
    @Bean
    PerCaller perCaller() {
      return new PerCaller();
    }
  }

  @RestController
  static class CachedPost {
    @PostMapping("/orders")
    @CacheResponse(ttl = "10m")
    Map<String, Object> order() {
      return Map.of("order", 1);
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  static class CachedPostApp extends App {
    @Bean
    CachedPost cachedPost() {
      return new CachedPost();
    }
  }

  /** What the start of {@code configuration} failed with, its innermost cause. */
  private static Throwable startFailure(Class<?> configuration) {
    Throwable failure = catchThrowable(() -> RunningApp.run(configuration).close());
    assertThat(failure).as("the start fails").isNotNull();
    while (failure.getCause() != null) {
      failure = failure.getCause();
    }
    return failure;
  }

  @Test
  void aSharedRouteThatMethodSecurityGuardsFailsTheStart() {
    assertThat(startFailure(SharedUnderPreAuthorize.class)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@CacheResponse(shared = true) on")
        .hasMessageContaining("@PreAuthorize guards")
        .hasMessageContaining("varyByPrincipal = true");
    assertThat(startFailure(SharedUnderRolesApp.class)).hasMessageContaining("@RolesAllowed guards");
  }

  @Test
  void aGuardedRouteWithAnEntryPerCallerStarts() {
    RunningApp.run(PerCallerApp.class).close();
  }

  @Test
  void aCacheResponseOnAMappingNoGetReachesFailsTheStart() {
    assertThat(startFailure(CachedPostApp.class)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mapped to [POST] only");
  }
}
