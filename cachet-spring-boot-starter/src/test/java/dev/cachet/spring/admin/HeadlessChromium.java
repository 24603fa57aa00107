package dev.cachet.spring.admin;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.util.FileSystemUtils;

/** Debian's Chromium, headless, driven by its ChromeDriver, with a profile of its own. */
final class HeadlessChromium implements AutoCloseable {
  final WebDriver browser;
  private final ChromeDriverService service;
  private final Path profile;

  private HeadlessChromium(WebDriver browser, ChromeDriverService service, Path profile) {
    this.browser = browser;
    this.service = service;
    this.profile = profile;
  }

  static HeadlessChromium start() throws IOException {
    Path profile = Files.createTempDirectory("cachet-chromium-");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver"))
        .usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=1440,1620", "--force-device-scale-factor=1", "--lang=en-US");
    return new HeadlessChromium(new ChromeDriver(service, options), service, profile);
  }

  WebDriverWait await(int seconds) {
    return new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(100));
  }

  /** Opens the dashboard on {@code port} and signs in with the test token, unless still signed in. */
  void signIn(int port) {
    browser.get("http://127.0.0.1:" + port + "/cachet/dashboard");
    await(15).until(ExpectedConditions.or(
        ExpectedConditions.visibilityOfElementLocated(By.id("login-form")),
        ExpectedConditions.visibilityOfElementLocated(By.id("app"))));
    if (browser.findElement(By.id("login-form")).isDisplayed()) {
      browser.findElement(By.id("token")).sendKeys(AdminHttp.TOKEN);
      browser.findElement(By.id("login-button")).click();
    }
    await(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
  }

  @Override
  public void close() throws IOException {
    try {
      browser.quit();
    } finally {
      service.stop();
      FileSystemUtils.deleteRecursively(profile);
    }
  }
}
