package dev.cachet.spring.admin;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What the admin API and the dashboard need in a native image: the dashboard's files (read from
 * the class path), the reports Jackson writes by reflection, and the Spring Security classes looked
 * up by name to tell whether it is there (a native image answers "absent" for a class it was not
 * told about).
 */
class AdminRuntimeHints implements RuntimeHintsRegistrar {
  @Override
  public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
    hints.resources().registerPattern(DashboardAssets.ROOT + "*");
    new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(),
        StatsReport.class, HealthReport.class, AdminApi.KeysView.class, AdminApi.KeyView.class);
    hints.reflection().registerType(TypeReference.of(AdminAccess.SECURITY_CLASS));
    hints.reflection().registerType(TypeReference.of(CsrfTokens.CSRF_TOKEN_CLASS));
  }
}
