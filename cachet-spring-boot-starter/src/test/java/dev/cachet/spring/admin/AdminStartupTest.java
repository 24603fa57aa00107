package dev.cachet.spring.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.function.RouterFunction;

/** When the admin API is there, and when the application refuses to start. */
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
