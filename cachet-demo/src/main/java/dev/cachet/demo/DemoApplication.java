package dev.cachet.demo;

import dev.cachet.spring.admin.CachetAdminProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/** Runs the demo: {@code mvn -pl cachet-demo spring-boot:run}, then see the README's walk-through. */
@SpringBootApplication
public class DemoApplication {
  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(DemoApplication.class);
    app.addListeners((ApplicationListener<ApplicationReadyEvent>) DemoApplication::announceDashboard);
    app.run(args);
  }

  /** Prints where the dashboard is and its token (random per start unless CACHET_ADMIN_TOKEN is set). */
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
      System.out.println("  Admin token:      " + token);
    } else if (admin.getAuthority() != null) {
      System.out.println("  Admin access:     Spring Security authority " + admin.getAuthority());
    } else {
      System.out.println("  Admin access:     open to anyone (cachet.admin.insecure=true)");
    }
    System.out.println();
  }
}
