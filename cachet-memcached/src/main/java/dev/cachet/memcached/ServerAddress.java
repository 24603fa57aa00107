package dev.cachet.memcached;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One Memcached server as configured: a host name or address and a port. Immutable. */
record ServerAddress(String host, int port) {
  static final int DEFAULT_PORT = 11211;

  /**
   * Parses {@code host:port} entries separated by commas or whitespace; {@code [v6]:port} for IPv6
   * addresses; a missing port is Memcached's 11211.
   *
   * @throws IllegalArgumentException when the list is empty, an entry is malformed, or an entry
   *     repeats
   */
  static List<ServerAddress> parseList(String servers) {
    String trimmed = servers.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("servers must name at least one host:port");
    }
    List<ServerAddress> list = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String entry : trimmed.split("[,\\s]+")) {
      ServerAddress server = parse(entry);
      if (!seen.add(server.label())) {
        throw new IllegalArgumentException("server listed twice: " + server.label());
      }
      list.add(server);
    }
    return List.copyOf(list);
  }

  private static ServerAddress parse(String entry) {
    String host;
    String port;
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0 || (close + 1 < entry.length() && entry.charAt(close + 1) != ':')) {
        throw new IllegalArgumentException(
            "malformed server '" + entry + "': use [v6-address]:port");
      }
      host = entry.substring(1, close);
      port = close + 1 < entry.length() ? entry.substring(close + 2) : null;
    } else {
      int colon = entry.indexOf(':');
      if (colon != entry.lastIndexOf(':')) {
        throw new IllegalArgumentException(
            "malformed server '" + entry + "': write IPv6 addresses as [address]:port");
      }
      host = colon < 0 ? entry : entry.substring(0, colon);
      port = colon < 0 ? null : entry.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("malformed server '" + entry + "': no host");
    }
    return new ServerAddress(host, port == null ? DEFAULT_PORT : parsePort(entry, port));
  }

  private static int parsePort(String entry, String port) {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("malformed server '" + entry + "': bad port");
    }
    int value = Integer.parseInt(port);
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException("malformed server '" + entry + "': port out of range");
    }
    return value;
  }

  /** {@code host:port} as it was configured (IPv6 in brackets). */
  String label() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Resolves the host.
   *
   * @throws IllegalArgumentException when it cannot be resolved
   */
  InetSocketAddress resolve() {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("cannot resolve Memcached host '" + host + "'");
    }
    return address;
  }

  /** The key a connected or configured address is known by: resolved address and port. */
  static String id(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    return (ip != null ? ip.getHostAddress() : address.getHostString()) + ":" + address.getPort();
  }
}
