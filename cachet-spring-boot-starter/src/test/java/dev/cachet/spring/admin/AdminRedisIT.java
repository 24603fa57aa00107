package dev.cachet.spring.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.redis.RedisServerProcess;
import dev.cachet.testing.Poll;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import tools.jackson.databind.JsonNode;

/**
 * The admin API and the dashboard while the application's real Redis is killed and started
 * again: an invalidation that could not reach the store says that it is queued, a pattern delete
 * that could not scan it says that the whole namespace was invalidated instead, and health shows
 * the backlog until Redis is back; bytes that are no entry are listed as corrupt. The dashboard in
 * real headless Chromium.
 */
class AdminRedisIT {
  private static final CachePolicy POLICY = CachePolicy.ofTtl(Duration.ofMinutes(10));

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  private static RedisServerProcess redis;
  private static AdminHttp http;
  private static HeadlessChromium chromium;

  @BeforeAll
  static void start() throws IOException {
    redis = RedisServerProcess.start();
    http = AdminHttp.start(App.class, "cachet.namespace=outage", "cachet.store=redis",
        "cachet.redis.url=" + redis.uri(), "cachet.admin.enabled=true", "cachet.admin.token=" + AdminHttp.TOKEN);
    chromium = HeadlessChromium.start();
  }

  private static void signIn() {
    chromium.signIn(http.port);
  }

  @Test
  void bytesThatAreNoEntryAreListedAsCorruptAndCanBeDeleted() {
    Cachet cachet = http.bean(Cachet.class);
    cachet.put("corrupt0", "v", Codecs.utf8(), POLICY);
    assertThat(redis.cli("SET", "outage:k:corrupt1", "x")).isEqualTo("OK\n"); // as an operator's typo would
    JsonNode keys = send("GET", "/cachet/keys?pattern=corrupt*").json().get("keys");
    assertThat(keys.size()).as(keys.toString()).isEqualTo(2);
    JsonNode corrupt = keys.get(0).get("key").asString().equals("corrupt1") ? keys.get(0) : keys.get(1);
    assertThat(corrupt.get("key").asString()).isEqualTo("corrupt1");
    assertThat(corrupt.get("state").asString()).isEqualTo("corrupt");
    assertThat(corrupt.get("storedAt").isNull()).isTrue();
    assertThat(corrupt.get("sizeBytes").asInt()).isEqualTo(1);

    signIn();
    By row = By.cssSelector("#keys-body tr[data-key='corrupt1']");
    chromium.await(10).until(ExpectedConditions.presenceOfElementLocated(row));
    assertThat(chromium.browser.findElement(row).getText()).contains("corrupt");
    chromium.browser.findElement(row).findElement(By.tagName("button")).click();
    chromium.await(10).until(ExpectedConditions.invisibilityOfElementLocated(row));
    assertThat(redis.keys("outage:k:corrupt1")).isEmpty();
    assertThat(cachet.exists("corrupt0")).isTrue();
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (chromium != null) {
        chromium.close();
      }
      if (http != null) {
        http.close();
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  private static AdminHttp.Reply send(String method, String path) {
    return http.send(method, path, AdminHttp.TOKEN, null, null);
  }

  private static JsonNode health() {
    return http.get("/cachet/health", AdminHttp.TOKEN).json();
  }

  @Test
  void invalidationsDuringAnOutageSayWhatWasDoneAndHealthShowsTheBacklog() throws IOException {
    Cachet cachet = http.bean(Cachet.class);
    for (String key : new String[] {"user:1", "user:2", "order:1"}) {
      cachet.put(key, "v", Codecs.utf8(), POLICY);
    }
    JsonNode up = send("POST", "/cachet/clear?pattern=user:*").json();
    assertThat(up.get("deleted").asLong()).isEqualTo(2);
    assertThat(up.get("namespaceInvalidated").asBoolean()).isFalse();
    assertThat(up.get("queued").asBoolean()).isFalse();
    assertThat(cachet.exists("order:1")).isTrue();
    assertThat(health().get("pendingInvalidations").asInt()).isZero();

    redis.kill();
    AdminHttp.Reply pattern = send("POST", "/cachet/clear?pattern=order:*");
    assertThat(pattern.status()).isEqualTo(200);
    assertThat(pattern.json().get("deleted").asLong()).isZero();
    assertThat(pattern.json().get("namespaceInvalidated").asBoolean()).as(pattern.body()).isTrue();
    assertThat(pattern.json().get("queued").asBoolean()).isTrue();
    AdminHttp.Reply key = send("DELETE", "/cachet/keys?key=order:1");
    assertThat(key.status()).isEqualTo(200);
    assertThat(key.json().get("queued").asBoolean()).as(key.body()).isTrue();
    JsonNode down = health();
    assertThat(down.get("status").asString()).isEqualTo("DOWN");
    assertThat(down.get("pendingInvalidations").asInt()).as(down.toString()).isPositive();

    // The dashboard says the same: the toast, and the backlog next to the store's state.
    signIn();
    WebDriver browser = chromium.browser;
    chromium.await(10).until(d -> d.findElement(By.id("store-text")).getText().contains("queued"));
    assertThat(browser.findElement(By.id("store-text")).getText()).contains("down");
    browser.findElement(By.id("clear-pattern")).sendKeys("user:*");
    browser.findElement(By.id("clear-pattern-button")).click();
    chromium.await(5).until(ExpectedConditions.alertIsPresent()).accept();
    chromium.await(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("toast")));
    String toast = browser.findElement(By.id("toast")).getText();
    assertThat(toast).contains("whole cache").contains("applied once").doesNotContain("Deleted 0");

    redis.restart();
    Poll.until(Duration.ofSeconds(20), "the kept invalidations to reach the restarted Redis",
        () -> health().get("pendingInvalidations").asInt() == 0);
    assertThat(health().get("status").asString()).isEqualTo("UP");
    cachet.put("user:3", "v", Codecs.utf8(), POLICY);
    JsonNode back = send("POST", "/cachet/clear?pattern=user:*").json();
    assertThat(back.get("deleted").asLong()).isEqualTo(1);
    assertThat(back.get("namespaceInvalidated").asBoolean()).isFalse();
    assertThat(back.get("queued").asBoolean()).isFalse();
  }
}
