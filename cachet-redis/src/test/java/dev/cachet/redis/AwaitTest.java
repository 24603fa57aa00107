package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A connection is dropped after {@code stuckAfter} consecutive time-outs of commands sent on it;
 * the late time-outs of commands sent before a drop do not drop its successor.
 */
class AwaitTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final AtomicInteger drops = new AtomicInteger();
  private final Await await = new Await(Duration.ofMillis(1), 2, drops::incrementAndGet, now::get);

  /** A command whose reply never comes. */
  private static AsyncCommand<String, String, String> unanswered() {
    return new AsyncCommand<>(new Command<>(CommandType.PING, new StatusOutput<>(StringCodec.UTF8)));
  }

  private void timeOut() {
    assertThatThrownBy(() -> await.result(unanswered())).isInstanceOf(RedisCommandTimeoutException.class);
  }

  @Test
  void consecutiveTimeOutsDropTheConnectionOnce() {
    timeOut();
    assertThat(drops).hasValue(0);
    timeOut();
    assertThat(drops).hasValue(1);
  }

  @Test
  void timeOutsOfCommandsSentBeforeADropDoNotDropItsSuccessor() {
    timeOut();
    timeOut(); // dropped at "now": every command sent until the clock moves was sent before it
    timeOut();
    timeOut();
    assertThat(drops).hasValue(1);

    now.addAndGet(1_000); // commands sent on the new connection
    timeOut();
    timeOut();
    assertThat(drops).hasValue(2);
  }

  @Test
  void aReplyBetweenTimeOutsStartsTheCountAgain() {
    timeOut();
    AsyncCommand<String, String, String> answered = unanswered();
    answered.complete("PONG");
    assertThat(await.result(answered)).isEqualTo("PONG");
    timeOut();
    assertThat(drops).hasValue(0);
  }
}
