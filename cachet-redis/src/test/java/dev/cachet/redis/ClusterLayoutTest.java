package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterLayoutTest {
  static final String A = "aaaa";
  static final String B = "bbbb";

  /** A {@code CLUSTER NODES} reply as {@code self} gives it, another node's line first. */
  static String reply(String self, String other, String epoch, String ping, String... slots) {
    return other + " 127.0.0.1:7001@17001 master - 0 1700000000000 9 connected 0-100\n"
        + self + " 127.0.0.1:7000@17000 myself,master - " + ping + " 0 " + epoch + " connected "
        + String.join(" ", slots) + "\n";
  }

  static ClusterLayout twoMasters(String epochB, String... slotsOfB) {
    return ClusterLayout.of(List.of(reply(A, B, "1", "0", "0-8191"), reply(B, A, epochB, "0", slotsOfB)));
  }

  @Test
  void aLayoutServingEverySlotOnceIsSettledAndTimingsDoNotChangeIt() {
    ClusterLayout layout = twoMasters("2", "8192-16383");
    assertThat(layout.settled()).isTrue();
    ClusterLayout later = ClusterLayout.of(List.of(
        reply(A, B, "1", "1700000001234", "0-8191"), reply(B, A, "2", "1700000005678", "8192-16383")));
    assertThat(later).isEqualTo(layout);
  }

  @Test
  void aMovedSlotOrABumpedEpochChangesTheFingerprint() {
    ClusterLayout layout = twoMasters("2", "8192-16383");
    ClusterLayout movedAway = ClusterLayout.of(List.of(
        reply(A, B, "1", "0", "0-8190"), reply(B, A, "2", "0", "8191-16383")));
    assertThat(movedAway.settled()).isTrue();
    assertThat(movedAway.fingerprint()).isNotEqualTo(layout.fingerprint());
    assertThat(twoMasters("3", "8192-16383").fingerprint()).isNotEqualTo(layout.fingerprint());
  }

  @Test
  void aSlotMigratingClaimedTwiceOrUnservedIsNotSettled() {
    assertThat(twoMasters("2", "8192-16383", "[8192->-" + A + "]").settled()).as("migrating").isFalse();
    assertThat(twoMasters("2", "8192-16383", "[100-<-" + A + "]").settled()).as("importing").isFalse();
    assertThat(twoMasters("2", "8191-16383").settled()).as("claimed twice").isFalse();
    assertThat(twoMasters("2", "8193-16383").settled()).as("a slot no master asked serves").isFalse();
    assertThat(twoMasters("2", "8192-16383", "[8192->-" + A + "]").fingerprint())
        .isNotEqualTo(twoMasters("2", "8192-16383").fingerprint());
  }

  @Test
  void aReplyWithoutTheNodesOwnLineIsAnError() {
    assertThatThrownBy(() -> ClusterLayout.of(List.of("x 127.0.0.1:1@2 master - 0 0 1 connected 0-16383\n")))
        .isInstanceOf(IllegalStateException.class);
  }
}
