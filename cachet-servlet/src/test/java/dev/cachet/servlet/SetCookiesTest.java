package dev.cachet.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

/** The {@code Set-Cookie} lines of cookies a handler adds, as containers write them. */
class SetCookiesTest {
  @Test
  void aSessionCookieHasNoMaxAgeWhateverTheContainerStores() {
    // Tomcat's Cookie keeps setMaxAge(-1) as the attribute "-1" (the API jar's keeps nothing);
    // written as is, browsers would delete the cookie at once (RFC 6265 §5.2.2).
    Cookie cookie = new Cookie("sid", "abc") {
      private static final long serialVersionUID = 1L;

      @Override
      public java.util.Map<String, String> getAttributes() {
        java.util.Map<String, String> stored = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        stored.putAll(super.getAttributes());
        stored.put("Max-Age", "-1");
        return stored;
      }
    };
    cookie.setPath("/");
    cookie.setHttpOnly(true);
    assertThat(SetCookies.format(cookie)).isEqualTo("sid=abc; HttpOnly; Path=/");
  }

  @Test
  void aLifetimeOfZeroOrMoreIsWritten() {
    Cookie cookie = new Cookie("pref", "dark");
    cookie.setMaxAge(3600);
    assertThat(SetCookies.format(cookie)).isEqualTo("pref=dark; Max-Age=3600");
    cookie.setMaxAge(0);
    assertThat(SetCookies.format(cookie)).isEqualTo("pref=dark; Max-Age=0");
  }

  @Test
  void whatAHeaderCannotCarryIsRefused() {
    assertThatThrownBy(() -> SetCookies.format(new Cookie("a", "b;c"))).isInstanceOf(IllegalArgumentException.class);
  }
}
