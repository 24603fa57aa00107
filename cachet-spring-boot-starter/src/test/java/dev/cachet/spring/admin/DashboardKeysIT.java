package dev.cachet.spring.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.store.CacheStore;
import dev.cachet.store.MemoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** The dashboard's key browser in real headless Chromium. */
class DashboardKeysIT {
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  /** A store that cannot list keys, as Memcached. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class NoScanApp {
    @Bean
    CacheStore store() {
      return new NoScanStore(MemoryStore.create());
    }
  }

  private static AdminHttp http;
  private static HeadlessChromium chromium;
  private static WebDriver browser;

  @BeforeAll
  static void start() throws IOException {
    http = AdminHttp.start(App.class, "cachet.namespace=keys", "cachet.admin.enabled=true",
        "cachet.admin.token=" + AdminHttp.TOKEN);
    chromium = HeadlessChromium.start();
    browser = chromium.browser;
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      if (http != null) {
        http.close();
      }
    }
  }

  private static void signIn() {
    signIn(http);
  }

  private static void signIn(AdminHttp http) {
    chromium.signIn(http.port);
  }

  private static By keyRow(String key) {
    return By.cssSelector("#keys-body tr[data-key='" + key + "']");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> script(String js, Object... args) {
    return (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(js, args);
  }

  @Test
  void withAStoreThatCannotScanThePatternFormIsHiddenAndTheListingSaysWhatToDoInstead() {
    assertThat(http.get("/cachet/health", AdminHttp.TOKEN).json().get("capabilities").toString()).contains("PATTERN_SCAN");
    signIn();
    chromium.await(10).until(d -> !d.findElement(By.id("store-text")).getText().isEmpty());
    assertThat(browser.findElement(By.id("clear-pattern-form")).isDisplayed()).as("a store that scans").isTrue();
    browser.findElement(By.id("logout")).click();
    try (AdminHttp noScan = AdminHttp.start(NoScanApp.class, "cachet.admin.enabled=true",
        "cachet.admin.token=" + AdminHttp.TOKEN)) {
      signIn(noScan);
      chromium.await(10).until(d -> !d.findElement(By.id("store-text")).getText().isEmpty());
      chromium.await(10).until(ExpectedConditions.invisibilityOfElementLocated(By.id("clear-pattern-form")));
      assertThat(browser.findElement(By.id("purge-form")).isDisplayed()).isTrue();
      chromium.await(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("keys-error")));
      assertThat(browser.findElement(By.id("keys-error")).getText()).contains("cannot list keys")
          .contains("DELETE .../keys?key=").doesNotContain("look");
      browser.findElement(By.id("logout")).click();
    }
  }

  @Test
  void theTokenFieldIsNotOfferedToAPasswordManager() {
    browser.get("http://127.0.0.1:" + http.port + "/cachet/dashboard");
    chromium.await(15).until(ExpectedConditions.presenceOfElementLocated(By.id("token")));
    assertThat(browser.findElement(By.id("token")).getDomAttribute("autocomplete")).isEqualTo("off");
  }

  @Test
  void aLongTagIsCutWithItsWholeValueInItsTitleAndTheKeyColumnKeepsItsWidth() throws IOException {
    String path = "/prices/" + "a".repeat(80);
    String key = "GET:" + path;
    Cachet cachet = http.bean(Cachet.class);
    cachet.put(key, "{}", Codecs.utf8(), CachePolicy.builder().ttl(Duration.ofMinutes(10)).tags(path, "prices").build());
    cachet.put("GET:/prices/1", "{}", Codecs.utf8(), CachePolicy.builder().ttl(Duration.ofMinutes(10)).tags("prices").build());
    signIn();
    chromium.await(10).until(ExpectedConditions.presenceOfElementLocated(keyRow(key)));

    Map<String, Object> layout = script(
        "const row = document.querySelector(\"#keys-body tr[data-key='\" + arguments[0] + \"']\");"
            + "const tag = [...row.querySelectorAll('.tag')].find((t) => t.textContent.length > 20);"
            + "return {keyWidth: row.cells[0].getBoundingClientRect().width,"
            + " tagWidth: tag.getBoundingClientRect().width, tagTitle: tag.title,"
            + " cut: tag.scrollWidth > tag.clientWidth,"
            + " tableWidth: document.getElementById('keys').getBoundingClientRect().width,"
            + " wrapWidth: document.querySelector('.table-wrap').clientWidth};", key);
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target", "dashboard-long-tag.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    assertThat(((Number) layout.get("tagWidth")).doubleValue()).as("%s", layout).isLessThanOrEqualTo(170);
    assertThat(((Number) layout.get("keyWidth")).doubleValue()).as("%s", layout).isGreaterThanOrEqualTo(180);
    assertThat(layout.get("tagTitle")).isEqualTo(path);
    assertThat(layout.get("cut")).isEqualTo(true);
    assertThat(((Number) layout.get("tableWidth")).doubleValue()).as("no sideways scrolling: %s", layout)
        .isLessThanOrEqualTo(((Number) layout.get("wrapWidth")).doubleValue() + 1);
  }
}
