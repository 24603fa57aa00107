package dev.cachet.demo;

import dev.cachet.spring.admin.CachetAdminProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/** Runs the demo: {@code mvn -pl cachet-demo spring-boot:run}, then see the README's walk-through. */
@SpringBootApplication
public class DemoApplication {
  public static void main(String[] args) {
    application().run(args);
  }

  /** The demo, announcing its dashboard once ready. */
  static SpringApplication application() {
    SpringApplication app = new SpringApplication(DemoApplication.class);
    app.addListeners((ApplicationListener<ApplicationReadyEvent>) DemoApplication::announceDashboard);
    return app;
  }

  /**
   * Prints where the dashboard is, and its token when the demo made it up (random per start); a
   * token the operator chose (CACHET_ADMIN_TOKEN, cachet.admin.token) is a secret kept out of the
   * console and its logs.
   */
  private static void announceDashboard(ApplicationReadyEvent event) {
    var context = event.getApplicationContext();
    var admin = context.getBeanProvider(CachetAdminProperties.class).getIfAvailable();
    if (admin == null || !admin.isEnabled()) {
      return;
    }
    String port = context.getEnvironment().getProperty("local.server.port", "8080");
    System.out.println();
    System.out.println("  Cachet dashboard: http://localhost:" + port + admin.getBasePath() + "/dashboard");
    String token = admin.getToken();
    if (token != null && !token.isBlank()) {
      System.out.println(generatedToken(context.getEnvironment())
          ? "  Admin token:      " + token
          : "  Admin token:      the one you set (CACHET_ADMIN_TOKEN or cachet.admin.token), not shown");
    } else if (admin.getAuthority() != null) {
      System.out.println("  Admin access:     Spring Security authority " + admin.getAuthority());
    } else {
      System.out.println("  Admin access:     without credentials, from this machine only (cachet.admin.insecure=true)");
    }
    System.out.println();
  }

  /**
   * Whether the admin token is the random one of the demo's application.properties: the source
   * that gives cachet.admin.token is that placeholder, with no CACHET_ADMIN_TOKEN to fill it.
   */
  static boolean generatedToken(ConfigurableEnvironment environment) {
    if (environment.getProperty("CACHET_ADMIN_TOKEN") != null) {
      return false;
    }
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (source.getName().equals("configurationProperties")) {
        continue; // a view of all the others
      }
      Object raw = source.getProperty("cachet.admin.token");
      if (raw != null) {
        return String.valueOf(raw).contains("${random.");
      }
    }
    return false;
  }
}
