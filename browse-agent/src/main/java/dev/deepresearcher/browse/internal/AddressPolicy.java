package dev.deepresearcher.browse.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which addresses the agent may connect to. The model chooses the URLs, so the fetcher is an attack
 * surface (server-side request forgery): loopback, private, link-local (cloud metadata lives at
 * 169.254.169.254), multicast, unspecified, shared (100.64/10) and reserved addresses are refused
 * after DNS resolution, unless allow-listed as a CIDR range, a host or a host:port.
 */
public final class AddressPolicy {
  private record Cidr(byte[] network, int prefix) {
    boolean contains(InetAddress a) {
      byte[] b = a.getAddress();
      if (b.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (b[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xFF << (8 - rest) & 0xFF;
      return (b[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Cidr> allowedRanges = new ArrayList<>();
  private final List<String> allowedHosts = new ArrayList<>();

  /**
   * @param allow entries of {@code browse.allow_hosts}: {@code 127.0.0.1/32}, {@code ::1/128},
   *     {@code intranet.example} or {@code 127.0.0.1:8080}
   * @throws IllegalArgumentException naming an entry that is none of these
   */
  public AddressPolicy(List<String> allow) {
    for (String entry : allow) {
      String e = entry.strip().toLowerCase(Locale.ROOT);
      if (e.contains("/")) {
        String[] parts = e.split("/", 2);
        try {
          byte[] network = InetAddress.getByName(literal(parts[0])).getAddress();
          int prefix = Integer.parseInt(parts[1]);
          if (prefix < 0 || prefix > network.length * 8) {
            throw new NumberFormatException();
          }
          allowedRanges.add(new Cidr(network, prefix));
        } catch (UnknownHostException | NumberFormatException ex) {
          throw new IllegalArgumentException(
              "browse.allow_hosts entry '" + entry + "' is not a CIDR range like 10.0.0.0/8", ex);
        }
      } else if (!e.isEmpty()) {
        allowedHosts.add(e);
      }
    }
  }

  private static String literal(String s) {
    if (!s.matches("[0-9.]+|[0-9a-f:.\\[\\]]+")) {
      throw new NumberFormatException(); // a name, not an address: no DNS lookups here
    }
    return s;
  }

  /** True when the host (or host:port) is allow-listed by name. */
  public boolean allowsHost(String host, int port) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return allowedHosts.contains(h) || allowedHosts.contains(h + ":" + port);
  }

  /** Why {@code address} may not be fetched, or empty when it may. */
  public Optional<String> refusal(InetAddress address) {
    for (Cidr c : allowedRanges) {
      if (c.contains(address)) {
        return Optional.empty();
      }
    }
    InetAddress a = unmapped(address);
    String kind = kind(a);
    return kind == null ? Optional.empty() : Optional.of(a.getHostAddress() + " is " + kind);
  }

  private static InetAddress unmapped(InetAddress a) {
    if (a instanceof Inet6Address) {
      byte[] b = a.getAddress();
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      mapped &= b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
      if (mapped) {
        try {
          return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return a;
  }

  private static String kind(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return "a loopback address";
    }
    if (a.isAnyLocalAddress()) {
      return "the unspecified address";
    }
    if (a.isLinkLocalAddress()) {
      return "a link-local address";
    }
    if (a.isSiteLocalAddress()) {
      return "a private address";
    }
    if (a.isMulticastAddress()) {
      return "a multicast address";
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xFF;
      int second = b[1] & 0xFF;
      if (first == 0) {
        return "in 0.0.0.0/8 (this network)";
      }
      if (first == 100 && second >= 64 && second <= 127) {
        return "a shared (carrier-grade NAT) address";
      }
      if (first >= 240) {
        return "a reserved address";
      }
      if (first == 192 && second == 0 && (b[2] & 0xFF) == 0) {
        return "an IETF protocol address";
      }
      if (first == 198 && (second == 18 || second == 19)) {
        return "a benchmarking address";
      }
    } else if ((b[0] & 0xFE) == 0xFC) {
      return "a private (unique local) address";
    }
    return null;
  }
}
