package dev.cachet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** What the demo prints at start about its dashboard: the token only when the demo made it up. */
@ExtendWith(OutputCaptureExtension.class)
class DemoAnnouncementTest {
  private static final String CHOSEN = "an-operator-chosen-token-0123456789";

  private static String announcement(CapturedOutput output, String... args) {
    int before = output.getOut().length();
    String[] all = new String[args.length + 3];
    all[0] = "--server.port=0";
    all[1] = "--server.address=127.0.0.1";
    all[2] = "--spring.main.banner-mode=off";
    System.arraycopy(args, 0, all, 3, args.length);
    try (ConfigurableApplicationContext context = DemoApplication.application().run(all)) {
      String out = output.getOut().substring(before);
      return out.substring(out.indexOf("Cachet dashboard:"));
    }
  }

  @Test
  void aRandomTokenIsPrintedSinceNobodyElseKnowsIt(CapturedOutput output) {
    String printed = announcement(output);
    assertThat(printed).containsPattern("Admin token: +[0-9a-f]{8}-[0-9a-f]{4}-");
  }

  @Test
  void aTokenTheOperatorChoseIsNotPrinted(CapturedOutput output) {
    // CACHET_ADMIN_TOKEN as the demo's application.properties reads it (an environment variable,
    // or here a command-line property of that name), and cachet.admin.token set directly.
    for (String arg : new String[] {"--CACHET_ADMIN_TOKEN=" + CHOSEN, "--cachet.admin.token=" + CHOSEN}) {
      String printed = announcement(output, arg);
      assertThat(printed).as(arg).doesNotContain(CHOSEN).contains("the one you set");
    }
  }
}
