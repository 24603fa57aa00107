package dev.cachet.spring.threads;

import dev.cachet.spring.RunningApp;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ConcurrentMissesCases} with {@code spring.threads.virtual.enabled=true}, and the same
 * without. On JDK 21 and later Tomcat then runs every request on a virtual thread (the cases check
 * that they did); on JDK 17 Spring Boot ignores the property, both run on platform threads and
 * the cases still hold.
 */
class VirtualThreadsTest {
  @Nested
  class WithVirtualThreadsAsked extends ConcurrentMissesCases {
    @RegisterExtension
    static final RunningApp app = RunningApp.perClass(App.class, properties(true));

    @Override
    RunningApp app() {
      return app;
    }

    @Override
    boolean virtualThreadsAsked() {
      return true;
    }
  }

  @Nested
  class OnPlatformThreads extends ConcurrentMissesCases {
    @RegisterExtension
    static final RunningApp app = RunningApp.perClass(App.class, properties(false));

    @Override
    RunningApp app() {
      return app;
    }

    @Override
    boolean virtualThreadsAsked() {
      return false;
    }
  }
}
