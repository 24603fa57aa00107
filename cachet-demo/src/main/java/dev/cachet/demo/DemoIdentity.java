package dev.cachet.demo;

import dev.cachet.spring.IdentityResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The demo's notion of who is calling: the {@code X-User} header. A real application uses its
 * authentication (the default resolver takes the request's principal).
 */
@Configuration(proxyBeanMethods = false)
class DemoIdentity {
  @Bean
  IdentityResolver headerIdentity() {
    return request -> {
      String user = request.getHeader("X-User");
      return user == null || user.isBlank() ? null : user;
    };
  }
}
