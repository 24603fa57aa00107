package dev.cachet.spring.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.function.RouterFunction;

/** When the admin API is there, and when the application refuses to start. */
@ExtendWith(OutputCaptureExtension.class)
class AdminStartupTest {
  private static final AutoConfigurations CONFIG = AutoConfigurations.of(
      CachetAutoConfiguration.class, CachetMetricsAutoConfiguration.class, CachetAdminAutoConfiguration.class);

  private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(CONFIG);

  @Test
  void offByDefault() {
    web.run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean("cachetAdminRouterFunction")
          .doesNotHaveBean(CachetAdminProperties.class);
      assertThat(context).hasSingleBean(CachetInspector.class);
    });
  }

  @Test
  void enabledWithoutCredentialsFailsTheStartSayingHowToFixIt() {
    web.withPropertyValues("cachet.admin.enabled=true").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause()
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("cachet.admin.token")
            .hasMessageContaining("cachet.admin.authority")
            .hasMessageContaining("cachet.admin.insecure=true"));
    web.withPropertyValues("cachet.admin.enabled=true", "cachet.admin.token=  ").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("cachet.admin.insecure=true"));
  }

  @Test
  void insecureModeWithCredentialsFailsTheStartRatherThanIgnoringThem() {
    web.withPropertyValues("cachet.admin.enabled=true", "cachet.admin.insecure=true",
        "cachet.admin.token=a-long-enough-admin-token").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause()
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("cachet.admin.insecure=true").hasMessageContaining("credentials are also set"));
  }

  @Test
  void aShortTokenFailsTheStart() {
    web.withPropertyValues("cachet.admin.enabled=true", "cachet.admin.token=letmein").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("too short").hasMessageContaining("at least 16"));
  }

  @Test
  void aTokenThatIsNotPrintableAsciiOrRepeatsAFewCharactersFailsTheStart() {
    for (String token : new String[] {"correct horse battery staple", "tökén-0123456789-abcdef", "tab\there-0123456789abcdef"}) {
      web.withPropertyValues("cachet.admin.enabled=true", "cachet.admin.token=" + token).run(context ->
          assertThat(context).as(token).hasFailed().getFailure().rootCause()
              .hasMessageContaining("printable ASCII without spaces").hasMessageNotContaining(token));
    }
    for (String token : new String[] {"aaaaaaaaaaaaaaaaaaaa", "abababababababababab", "000000000000000000000000000000000000123"}) {
      web.withPropertyValues("cachet.admin.enabled=true", "cachet.admin.token=" + token).run(context ->
          assertThat(context).as(token).hasFailed().getFailure().rootCause()
              .hasMessageContaining("repeats a few characters").hasMessageNotContaining(token));
    }
    for (String token : new String[] {"0123456789abcdef", java.util.UUID.randomUUID().toString(), AdminHttp.TOKEN}) {
      web.withPropertyValues("cachet.admin.enabled=true", "cachet.admin.token=" + token).run(context ->
          assertThat(context).as(token).hasNotFailed());
    }
  }

  @Test
  void anAuthorityWithoutSpringSecurityFailsTheStart() {
    web.withClassLoader(new FilteredClassLoader("org.springframework.security"))
        .withPropertyValues("cachet.admin.enabled=true", "cachet.admin.authority=ROLE_ADMIN")
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("Spring Security is not on the class path"));
    web.withPropertyValues("cachet.admin.enabled=true", "cachet.admin.authority=ROLE_ADMIN")
        .run(context -> assertThat(context).hasNotFailed().hasBean("cachetAdminRouterFunction"));
  }

  @Test
  void aBadBasePathFailsTheStart() {
    for (String base : new String[] {"cachet", "/cachet/", "/", "/{x}", "/a b"}) {
      web.withPropertyValues("cachet.admin.enabled=true", "cachet.admin.insecure=true", "cachet.admin.base-path=" + base)
          .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
              .hasMessageContaining("cachet.admin.base-path"));
    }
  }

  /** An application with routes of its own under /spaces, and one that catches every first segment. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({SpacesApp.Spaces.class})
  static class SpacesApp {
    @RestController
    static class Spaces {
      @GetMapping("/spaces/{id}")
      String space(@PathVariable String id) {
        return "space " + id;
      }
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({TenantApp.Tenants.class})
  static class TenantApp {
    @RestController
    static class Tenants {
      @GetMapping("/{tenant}/stats")
      String stats(@PathVariable String tenant) {
        return "stats of " + tenant;
      }
    }
  }

  @Test
  void aBasePathTheApplicationsOwnRoutesUseFailsTheStart(CapturedOutput output) {
    for (String base : new String[] {"/spaces", "/spaces/admin"}) {
      assertThatThrownBy(() -> AdminHttp.start(SpacesApp.class, "cachet.admin.enabled=true",
          "cachet.admin.token=" + AdminHttp.TOKEN, "cachet.admin.base-path=" + base).close())
          .as(base).satisfies(e -> assertThat(org.springframework.core.NestedExceptionUtils.getMostSpecificCause(e))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("cachet.admin.base-path " + base + " overlaps the application's /spaces/{id}"));
    }
    // Elsewhere, the application's routes stay open and the admin API guarded.
    try (AdminHttp app = AdminHttp.start(SpacesApp.class, "cachet.admin.enabled=true",
        "cachet.admin.token=" + AdminHttp.TOKEN, "cachet.admin.base-path=/ops/cache")) {
      assertThat(app.get("/spaces/1", null).body()).isEqualTo("space 1");
      assertThat(app.get("/ops/cache/stats", null).status()).isEqualTo(401);
    }
    // A route whose first segment is a variable matches under any base path: a warning, not a failure.
    try (AdminHttp app = AdminHttp.start(TenantApp.class, "cachet.admin.enabled=true",
        "cachet.admin.token=" + AdminHttp.TOKEN)) {
      assertThat(app.get("/acme/stats", null).body()).isEqualTo("stats of acme");
      assertThat(output).contains("/{tenant}/stats").contains("also matches paths under cachet.admin.base-path /cachet");
    }
  }

  @Test
  void onlyInServletMvcApplications() {
    new ApplicationContextRunner().withConfiguration(CONFIG)
        .withPropertyValues("cachet.admin.enabled=true")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("cachetAdminRouterFunction"));
    web.withClassLoader(new FilteredClassLoader(RouterFunction.class))
        .withPropertyValues("cachet.admin.enabled=true")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("cachetAdminRouterFunction"));
  }

  @Test
  void insecureOrTokenStartsAndApplicationBeansWin() {
    web.withPropertyValues("cachet.admin.enabled=true", "cachet.admin.insecure=true").run(context ->
        assertThat(context).hasNotFailed().hasBean("cachetAdminRouterFunction").hasBean("cachetAdminAccessConfigurer"));
    web.withPropertyValues("cachet.admin.enabled=true", "cachet.admin.token=" + AdminHttp.TOKEN)
        .withBean("cachetAdminRouterFunction", RouterFunction.class, () -> request -> java.util.Optional.empty())
        .run(context -> assertThat(context.getBean("cachetAdminRouterFunction").getClass().getName())
            .doesNotContain("dev.cachet.spring.admin.AdminApi"));
  }
}
