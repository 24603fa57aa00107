package dev.cachet.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The slot layout of a Redis Cluster as its masters state it themselves: each master's own line
 * of {@code CLUSTER NODES} (its id, role, config epoch, slots, and the slots it is migrating or
 * importing, which only the node itself reports). A scan compares the layout at its start with
 * the layout at its end: a slot that moved in between, or one being moved at its end, may have
 * carried keys from a master not yet scanned to one already scanned.
 *
 * <p>Each master is authoritative for its own slots, so a slot that left a master changes that
 * master's line even while gossip has not told the other nodes yet; and the target of a finished
 * migration bumps its config epoch unless it holds the highest one, so a slot moved away and back
 * still changes a line.
 *
 * @param fingerprint a digest of the masters' own lines; equal layouts have equal fingerprints
 * @param settled whether every node asked is a master, none is migrating or importing a slot, and
 *     together they serve each of the 16384 slots exactly once: nothing is moving, and no master
 *     outside those asked holds a slot
 */
record ClusterLayout(long fingerprint, boolean settled) {
  static final int SLOTS = 16384;

  /**
   * The layout from the {@code CLUSTER NODES} replies of every master, one reply per master in a
   * stable order.
   *
   * @throws IllegalStateException when a reply has no line marked {@code myself}
   */
  static ClusterLayout of(List<String> clusterNodesReplies) {
    MessageDigest digest = sha256();
    BitSet served = new BitSet(SLOTS);
    boolean settled = true;
    for (String reply : clusterNodesReplies) {
      List<String> own = ownLine(reply);
      // Fields: id, address, flags, master id, ping sent, pong received, config epoch, link
      // state, then slots. The timings and the link state change all the time: not the layout.
      String canonical = own.get(0) + ' ' + own.get(2) + ' ' + own.get(3) + ' ' + own.get(6)
          + ' ' + String.join(" ", own.subList(8, own.size())) + '\n';
      digest.update(canonical.getBytes(StandardCharsets.US_ASCII));
      if (!List.of(own.get(2).split(",")).contains("master")) {
        settled = false;
      }
      for (String slots : own.subList(8, own.size())) {
        if (slots.startsWith("[")) {
          settled = false; // [slot->-target] migrating, [slot-<-source] importing
          continue;
        }
        int dash = slots.indexOf('-');
        int from = Integer.parseInt(dash < 0 ? slots : slots.substring(0, dash));
        int to = dash < 0 ? from : Integer.parseInt(slots.substring(dash + 1));
        if (served.get(from, to + 1).cardinality() > 0) {
          settled = false; // two masters claim a slot: one has not heard it left yet
        }
        served.set(from, to + 1);
      }
    }
    settled &= served.cardinality() == SLOTS;
    byte[] hash = digest.digest();
    long fingerprint = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      fingerprint = (fingerprint << 8) | (hash[i] & 0xff);
    }
    return new ClusterLayout(fingerprint, settled);
  }

  /** The fields of the line of {@code CLUSTER NODES} that describes the node that answered. */
  private static List<String> ownLine(String reply) {
    for (String line : reply.split("\n")) {
      List<String> fields = new ArrayList<>(List.of(line.trim().split(" +")));
      if (fields.size() >= 8 && List.of(fields.get(2).split(",")).contains("myself")) {
        return fields;
      }
    }
    throw new IllegalStateException("CLUSTER NODES without the node's own line: " + reply);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
