package dev.cachet.spring.admin;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code cachet.admin.*}: the admin REST API and the dashboard page. Off by default;
 * once on, every call needs credentials (a bearer token, or with Spring Security a principal with
 * an authority) unless {@code insecure} is set, and the application fails to start without them.
 */
@ConfigurationProperties("cachet.admin")
public class CachetAdminProperties {
  /** Whether the admin REST API and dashboard are served (Spring MVC applications only). */
  private boolean enabled;

  /** Path the admin API lives under; the dashboard page is this path followed by /dashboard. */
  private String basePath = "/cachet";

  /**
   * Secret that admin clients send in an "Authorization: Bearer" header: at least 16 printable
   * ASCII characters without spaces, not a few repeated. Use a long random value, for example the
   * output of "openssl rand -hex 32".
   */
  private @Nullable String token;

  /**
   * Authority (for example ROLE_ADMIN or cachet:admin) that a Spring Security principal needs to
   * use the admin API, as an alternative to the token; requires Spring Security on the class path.
   */
  private @Nullable String authority;

  /**
   * Serves the admin API without any credentials; for local development only. It then answers
   * only clients on this machine's loopback interface that address it by a loopback name
   * (localhost, 127.0.0.1, [::1]), and refuses writes a page of another origin could send.
   */
  private boolean insecure;

  /**
   * With insecure: also answers clients beyond this machine's loopback (another host, a container
   * network, a host name that is not a loopback one). Anyone who can reach the application can
   * then read and delete every cache entry.
   */
  private boolean insecureRemoteAccess;

  /** Whether the dashboard page is served (at the base path followed by /dashboard). */
  private boolean dashboard = true;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getBasePath() {
    return basePath;
  }

  public void setBasePath(String basePath) {
    this.basePath = basePath;
  }

  public @Nullable String getToken() {
    return token;
  }

  public void setToken(@Nullable String token) {
    this.token = token;
  }

  public @Nullable String getAuthority() {
    return authority;
  }

  public void setAuthority(@Nullable String authority) {
    this.authority = authority;
  }

  public boolean isInsecure() {
    return insecure;
  }

  public void setInsecure(boolean insecure) {
    this.insecure = insecure;
  }

  public boolean isInsecureRemoteAccess() {
    return insecureRemoteAccess;
  }

  public void setInsecureRemoteAccess(boolean insecureRemoteAccess) {
    this.insecureRemoteAccess = insecureRemoteAccess;
  }

  public boolean isDashboard() {
    return dashboard;
  }

  public void setDashboard(boolean dashboard) {
    this.dashboard = dashboard;
  }
}
