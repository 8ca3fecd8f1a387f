package dev.deepresearcher.browse.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import okhttp3.Dns;

/**
 * Resolves names and refuses the lookup when any address is not public (unless allow-listed).
 * OkHttp connects only to the addresses this returns, so a name cannot be re-resolved to a private
 * address between the check and the connection.
 */
public final class SafeDns implements Dns {
  /** The resolver underneath; replaced in tests to make names point anywhere. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  /** A lookup refused by the address policy; the message says why. */
  public static final class Refused extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private final AddressPolicy policy;
  private final Resolver resolver;

  SafeDns(AddressPolicy policy, Resolver resolver) {
    this.policy = policy;
    this.resolver = resolver;
  }

  @Override
  public List<InetAddress> lookup(String hostname) throws UnknownHostException {
    List<InetAddress> addresses = resolver.resolve(hostname);
    if (policy.allowsHost(hostname, -1)) {
      return addresses;
    }
    for (InetAddress a : addresses) {
      Optional<String> refusal = policy.refusal(a);
      if (refusal.isPresent()) {
        throw new Refused(hostname + " resolves to " + refusal.get());
      }
    }
    return addresses;
  }
}
