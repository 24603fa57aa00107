package dev.cachet.demo;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Stands for the load balancer in front of the instances: every request reaches the application
 * with one public {@code Host}, whichever instance's port the test called. Cachet's HTTP keys
 * include the request's origin, so instances addressed as {@code 127.0.0.1:<own port>} would
 * each keep their own entries; behind a balancer that forwards the client's {@code Host} they
 * share them. (The JDK's HTTP client refuses to set {@code Host} itself.)
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("demo.it.cluster-routes")
class LoadBalancedHost {
  static final String PUBLIC_HOST = "demo.example.test";

  @Bean
  FilterRegistrationBean<Filter> publicHostFilter() {
    Filter filter = (request, response, chain) -> chain.doFilter(
        new HttpServletRequestWrapper((HttpServletRequest) request) {
          @Override
          public String getHeader(String name) {
            return name.equalsIgnoreCase("Host") ? PUBLIC_HOST : super.getHeader(name);
          }

          @Override
          public Enumeration<String> getHeaders(String name) {
            return name.equalsIgnoreCase("Host")
                ? Collections.enumeration(List.of(PUBLIC_HOST)) : super.getHeaders(name);
          }
        },
        response);
    FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.addUrlPatterns("/*");
    return registration;
  }
}
