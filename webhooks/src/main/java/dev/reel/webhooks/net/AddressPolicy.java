package dev.reel.webhooks.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses deliveries may connect to. Refused unless a configured network
 * ({@code REEL_WEBHOOKS_ALLOWED_NETWORKS}) contains them: loopback, unspecified, link-local (cloud metadata services
 * live there), private (RFC 1918, IPv6 unique-local), carrier-grade NAT, multicast and the reserved IPv4 ranges. An
 * IPv4-mapped IPv6 address is judged as the IPv4 address it maps.
 */
public final class AddressPolicy {

    private static final List<Cidr> RESERVED = List.of(Cidr.parse("0.0.0.0/8"), Cidr.parse("100.64.0.0/10"),
            Cidr.parse("192.0.0.0/24"), Cidr.parse("198.18.0.0/15"), Cidr.parse("240.0.0.0/4"), Cidr.parse("fc00::/7"),
            Cidr.parse("64:ff9b::/96"));

    private final List<Cidr> allowed;

    /** @param allowed networks deliveries may reach even though they are private or loopback */
    public AddressPolicy(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Why a connection to {@code address} is refused, or empty when it is allowed. */
    public Optional<String> refusal(InetAddress address) {
        InetAddress judged = unmapped(address);
        if (allowed.stream().anyMatch(cidr -> cidr.contains(judged))) {
            return Optional.empty();
        }
        String kind = kindOf(judged);
        return kind == null
                ? Optional.empty()
                : Optional.of(judged.getHostAddress() + " is a " + kind
                        + " address; deliveries go there only if REEL_WEBHOOKS_ALLOWED_NETWORKS includes it");
    }

    private static String kindOf(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        return RESERVED.stream().anyMatch(cidr -> cidr.contains(address)) ? "reserved or private" : null;
    }

    /** {@code ::ffff:a.b.c.d} as {@code a.b.c.d}. */
    private static InetAddress unmapped(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != 16) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return address;
            }
        }
        if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
            return address;
        }
        try {
            return Inet4Address.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }
}
