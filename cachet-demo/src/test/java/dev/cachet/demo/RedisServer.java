package dev.cachet.demo;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * A real {@code redis-server} on a free loopback port, through the Redis module's test helper
 * {@code dev.cachet.redis.RedisServerProcess} (from the {@code cachet-redis} test-jar): killed with
 * SIGKILL, paused with SIGSTOP, resumed with SIGCONT, restarted empty on the same port.
 *
 * <p>The helper is package-private in {@code dev.cachet.redis}, so it is called reflectively here;
 * were it public, each method below would be a direct call.
 */
final class RedisServer implements AutoCloseable {
  private static final String HELPER = "dev.cachet.redis.RedisServerProcess";

  private final Object process;

  private RedisServer(Object process) {
    this.process = process;
  }

  /** Starts a server without persistence on a free loopback port. */
  static RedisServer start() {
    try {
      Method start = Class.forName(HELPER).getDeclaredMethod("start", String[].class);
      start.setAccessible(true);
      return new RedisServer(start.invoke(null, (Object) new String[0]));
    } catch (ReflectiveOperationException e) {
      throw unwrap(e);
    }
  }

  private Object call(String method) {
    try {
      Method m = process.getClass().getDeclaredMethod(method);
      m.setAccessible(true);
      return m.invoke(process);
    } catch (ReflectiveOperationException e) {
      throw unwrap(e);
    }
  }

  private static RuntimeException unwrap(ReflectiveOperationException e) {
    if (e instanceof InvocationTargetException ite && ite.getCause() instanceof RuntimeException re) {
      return re;
    }
    return new IllegalStateException("cannot use " + HELPER + " from the cachet-redis test-jar", e);
  }

  String uri() {
    return (String) call("uri");
  }

  /** SIGKILL; returns once the process is gone. */
  void kill() {
    call("kill");
  }

  /** Starts again on the same port, empty; returns once it answers PING. */
  void restart() {
    call("restart");
  }

  /** SIGSTOP: connections stay open and nothing is answered. */
  void pause() {
    call("pause");
  }

  /** SIGCONT. */
  void resume() {
    call("resume");
  }

  @Override
  public void close() {
    call("close");
  }
}
