package dev.cachet.spring.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The dashboard in a real headless Chromium: sign in with the token, watch the figures move, purge
 * a tag and see its entries leave the key browser. Leaves a screenshot in
 * {@code target/dashboard.png} (and, with {@code -Dcachet.docs.screenshot=true}, in the
 * repository's {@code docs/dashboard.png}).
 */
class DashboardIT {
  private static final CachePolicy SPACE_1 = policy("space:1", "spaces");
  private static final CachePolicy SPACE_2 = policy("space:2", "spaces");
  private static final CachePolicy USERS = policy("users");
  private static final List<String> ROUTES = List.of(
      "GET /spaces/{spaceId}", "GET /spaces/{spaceId}/items", "GET /spaces", "GET /users/{id}");

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  private static AdminHttp http;
  private static HeadlessChromium chromium;
  private static WebDriver browser;
  private static ScheduledExecutorService traffic;
  /** Whether the simulated traffic has misses; off for the screenshot, so short-lived keys go. */
  private static final AtomicBoolean MISSES = new AtomicBoolean(true);

  private static CachePolicy policy(String... tags) {
    return CachePolicy.builder().ttl(Duration.ofMinutes(10)).staleWhileRevalidate(Duration.ofMinutes(1)).tags(tags).build();
  }

  @BeforeAll
  static void start() throws IOException {
    http = AdminHttp.start(App.class, "cachet.namespace=demo", "cachet.admin.enabled=true",
        "cachet.admin.token=" + AdminHttp.TOKEN);
    chromium = HeadlessChromium.start();
    browser = chromium.browser;
    traffic = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dashboard-traffic");
      t.setDaemon(true);
      return t;
    });
  }

  @AfterAll
  static void stop() throws IOException {
    if (traffic != null) {
      traffic.shutdownNow();
    }
    if (chromium != null) {
      chromium.close();
    }
    if (http != null) {
      http.close();
    }
  }

  private static WebDriverWait await(int seconds) {
    return chromium.await(seconds);
  }

  private static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static By keyRow(String key) {
    return By.cssSelector("#keys-body tr[data-key='" + key + "']");
  }

  /**
   * Lookups and HTTP timings, as the application's traffic would make them; deterministic. Hits
   * go to a few hot keys outside {@code space:1}; misses load new keys that live one second.
   */
  private static Runnable trafficTick(Cachet cachet, MeterRegistry registry) {
    Random random = new Random(42);
    List<String> hot = List.of("GET:/spaces", "GET:/spaces/2", "user:42", "user:7");
    CachePolicy brief = CachePolicy.builder().ttl(Duration.ofSeconds(1)).tags("spaces").build();
    int[] tick = {0};
    return () -> {
      int t = tick[0]++;
      for (int i = 0; i < 12; i++) {
        int route = random.nextInt(ROUTES.size());
        // Mostly hits; more misses in some seconds than in others.
        boolean miss = random.nextInt(100) < 6 + (t / 10) % 3 * 8 && MISSES.get();
        if (miss) {
          cachet.get("GET:/spaces/" + (100 + t * 12 + i) + "/items?page=1", Codecs.utf8(), brief, () -> "{\"items\":[]}");
        } else {
          cachet.get(hot.get(random.nextInt(hot.size())), Codecs.utf8(), USERS, () -> "{}");
        }
        String result = miss ? "miss" : random.nextInt(40) == 0 ? "stale" : "hit";
        double millis = miss ? 38 + random.nextGaussian() * 9 + route * 6 : 1.2 + Math.abs(random.nextGaussian()) * 0.8;
        AdminApiTest.timer(registry, ROUTES.get(route), result)
            .record(Duration.ofNanos((long) (Math.max(0.3, millis) * 1_000_000)));
      }
      if (t % 15 == 7) {
        cachet.softInvalidateTags(List.of("users")); // the next lookups of users are served stale
      }
      if (t % 7 == 0) {
        AdminApiTest.timer(registry, "POST /spaces/{spaceId}/items", "bypass").record(Duration.ofMillis(12));
      }
    };
  }

  @Test
  void signInWatchFiguresAndPurgeATag() throws IOException {
    Cachet cachet = http.bean(Cachet.class);
    MeterRegistry registry = http.bean(MeterRegistry.class);
    cachet.put("GET:/spaces/1", "{\"space\":1}", Codecs.utf8(), SPACE_1);
    cachet.put("GET:/spaces/1/items?page=1&size=20", "{\"items\":[1,2,3]}", Codecs.utf8(), SPACE_1);
    cachet.put("GET:/spaces/2", "{\"space\":2}", Codecs.utf8(), SPACE_2);
    cachet.put("GET:/spaces/2/items?page=1&size=20", "{\"items\":[]}", Codecs.utf8(), SPACE_2);
    cachet.put("GET:/spaces", "{\"spaces\":[1,2]}", Codecs.utf8(), policy("spaces"));
    cachet.put("user:42", "{\"name\":\"Ada\"}", Codecs.utf8(), USERS);
    cachet.put("user:7", "{\"name\":\"Grace\"}", Codecs.utf8(), USERS);

    browser.get("http://127.0.0.1:" + http.port + "/cachet/dashboard");
    await(15).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();

    // A wrong token is refused and the data stays hidden.
    browser.findElement(By.id("token")).sendKeys(AdminHttp.TOKEN.replace('s', 'z'));
    browser.findElement(By.id("login-button")).click();
    await(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "not accepted"));
    assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target", "dashboard-login.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

    WebElement token = browser.findElement(By.id("token"));
    token.clear();
    token.sendKeys(AdminHttp.TOKEN);
    browser.findElement(By.id("login-button")).click();
    await(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
    await(10).until(d -> text("namespace").equals("demo") && !text("kpi-hits").equals("–"));
    await(10).until(ExpectedConditions.presenceOfElementLocated(keyRow("GET:/spaces/1")));
    String hitsBefore = text("kpi-hits");
    assertThat(browser.findElement(By.id("routes-body")).getText()).contains("No cached route");

    traffic.scheduleAtFixedRate(trafficTick(cachet, registry), 0, 100, TimeUnit.MILLISECONDS);
    await(15).until(d -> !text("kpi-hits").equals(hitsBefore));
    await(15).until(d -> browser.findElement(By.id("routes-body")).getText().contains("GET /spaces/{spaceId}"));
    await(15).until(d -> text("store-text").contains("MemoryStore · up"));
    await(15).until(d -> text("latency-table").contains("miss"));

    // Let the charts draw a few seconds of history for the screenshot.
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    await(20).until(d -> System.nanoTime() > until);
    await(10).until(d -> browser.findElements(By.cssSelector("#chart-hit-rate path")).size() >= 1
        && browser.findElements(By.cssSelector("#chart-latency path")).size() >= 2);
    // Charts are redrawn every poll: read each one in a single script call.
    for (String chart : List.of("chart-hit-rate", "chart-latency")) {
      String svg = (String) ((JavascriptExecutor) browser)
          .executeScript("return document.querySelector('#" + chart + " svg').outerHTML");
      assertThat(svg).as(chart).contains("<path").contains(">now<").doesNotContain("NaN").doesNotContain("undefined");
      assertThat(svg).as(chart).contains(chart.equals("chart-hit-rate") ? ">50%<" : " ms<");
    }

    // Search, then purge a tag with the form: its entries leave the key browser, others stay.
    WebElement pattern = browser.findElement(By.id("key-pattern"));
    pattern.clear();
    pattern.sendKeys("GET:/spaces/[12]*");
    browser.findElement(By.id("key-search")).click();
    await(10).until(d -> d.findElements(keyRow("user:42")).isEmpty() && !d.findElements(keyRow("GET:/spaces/2")).isEmpty());
    assertThat(browser.findElements(keyRow("GET:/spaces/1"))).hasSize(1);
    assertThat(browser.findElement(keyRow("GET:/spaces/1/items?page=1&size=20")).getText()).contains("space:1").contains("fresh");

    browser.findElement(By.id("purge-tags")).sendKeys("space:1");
    browser.findElement(By.id("purge-button")).click();
    await(10).until(ExpectedConditions.invisibilityOfElementLocated(keyRow("GET:/spaces/1")));
    assertThat(browser.findElements(keyRow("GET:/spaces/1/items?page=1&size=20"))).isEmpty();
    assertThat(browser.findElements(keyRow("GET:/spaces/2"))).hasSize(1);
    assertThat(text("toast")).contains("Purged space:1");
    assertThat(cachet.exists("GET:/spaces/1")).isFalse();
    assertThat(cachet.exists("GET:/spaces/2")).isTrue();

    // Deleting one key with its button.
    browser.findElement(keyRow("GET:/spaces/2/items?page=1&size=20")).findElement(By.tagName("button")).click();
    await(10).until(ExpectedConditions.invisibilityOfElementLocated(keyRow("GET:/spaces/2/items?page=1&size=20")));
    assertThat(cachet.exists("GET:/spaces/2/items?page=1&size=20")).isFalse();

    // The token lives in this tab's sessionStorage, never in a cookie.
    Object stored = ((JavascriptExecutor) browser)
        .executeScript("return sessionStorage.getItem('cachet.admin.token')");
    assertThat(stored).isEqualTo(AdminHttp.TOKEN);
    assertThat(browser.manage().getCookies()).isEmpty();

    screenshot();
  }

  private static void screenshot() throws IOException {
    // Back to the wide view for the picture, once the one-second keys of the misses are gone.
    MISSES.set(false);
    long quiet = System.nanoTime() + Duration.ofMillis(2500).toNanos();
    await(10).until(d -> System.nanoTime() > quiet);
    WebElement pattern = browser.findElement(By.id("key-pattern"));
    pattern.clear();
    pattern.sendKeys("*");
    browser.findElement(By.id("key-search")).click();
    await(10).until(ExpectedConditions.presenceOfElementLocated(keyRow("user:42")));
    await(10).until(ExpectedConditions.invisibilityOfElementLocated(By.id("toast")));
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Path target = Path.of("target", "dashboard.png");
    Files.createDirectories(target.getParent());
    Files.write(target, png);
    // The README's picture is refreshed on request only, so that a test run leaves the work tree
    // as it found it: mvn verify -Dcachet.docs.screenshot=true
    Path docs = Path.of("..", "docs");
    if (Boolean.getBoolean("cachet.docs.screenshot") && Files.isDirectory(docs)) {
      Files.copy(target, docs.resolve("dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
    }
    assertThat(png.length).isGreaterThan(20_000);
  }
}
