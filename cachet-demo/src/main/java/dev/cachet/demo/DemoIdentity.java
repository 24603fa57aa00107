package dev.cachet.demo;

import dev.cachet.spring.IdentityResolver;
import java.util.Collections;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The demo's notion of who is calling: the {@code X-User} header, all its values joined with
 * commas, as Spring MVC hands a {@code @RequestHeader String} to the handler (the first value
 * alone would let {@code X-User: carol} plus another value write into carol's entry). A real
 * application uses its authentication (the default resolver takes the request's principal).
 */
@Configuration(proxyBeanMethods = false)
class DemoIdentity {
  @Bean
  IdentityResolver headerIdentity() {
    return request -> {
      String user = String.join(",", Collections.list(request.getHeaders("X-User")));
      return user.isBlank() ? null : user;
    };
  }
}
