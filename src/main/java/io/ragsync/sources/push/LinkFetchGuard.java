package io.ragsync.sources.push;

import io.ragsync.platform.api.ApiException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;

/**
 * Keeps link fetching away from internal networks (SSRF): only http(s), and unless allow-private no address the IANA
 * special-purpose registries mark not globally reachable (also embedded in mapped, NAT64, 6to4 forms) nor one of
 * this host; with allowed-hosts, only those hosts. Also the link-fetch client's DNS resolver, so every connection,
 * redirects included, passes the check (no DNS rebinding).
 */
@Component("linkFetchGuard")
public class LinkFetchGuard implements DnsResolver {

    /** Hand-written because the JDK has no special-purpose registry; matching is Spring Security's IpAddressMatcher. */
    private static final List<IpAddressMatcher> NOT_GLOBALLY_REACHABLE = Stream.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
            "::/96", // unspecified, loopback and the deprecated IPv4-compatible form
            "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "3fff::/20", "5f00::/16", "fc00::/7",
            "fe80::/10", "fec0::/10", "ff00::/8")
            .map(IpAddressMatcher::new).toList();

    private static final long INTERFACE_CACHE_MS = 5_000;

    private volatile boolean allowPrivate;
    private volatile List<String> allowedHosts = List.of();
    private volatile Set<InetAddress> ownAddresses = Set.of();
    private volatile long ownAddressesRead;

    public LinkFetchGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    @Autowired
    public LinkFetchGuard(@Value("${app.push.link-fetch.allow-private}") boolean allowPrivate,
                          @Value("${app.push.link-fetch.allowed-hosts:}") String allowedHosts) {
        this(allowPrivate);
        setAllowedHosts(allowedHosts);
    }

    /** For tests and operators (JMX-free toggle): allow or refuse private addresses from now on. */
    public void setAllowPrivate(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Comma-separated host names that alone may be fetched ({@code *.example.com} = its subdomains); empty = any. */
    public void setAllowedHosts(String allowedHosts) {
        this.allowedHosts = allowedHosts == null ? List.of() : Arrays.stream(allowedHosts.split(","))
                .map(LinkFetchGuard::normalizeHost).filter(h -> !h.isEmpty()).toList();
    }

    /** True when no allow-list is set or the host is on it. */
    public boolean isAllowedHost(String host) {
        List<String> allowed = allowedHosts;
        if (allowed.isEmpty()) {
            return true;
        }
        String name = normalizeHost(host);
        return allowed.stream().anyMatch(entry -> entry.startsWith("*.")
                ? name.endsWith(entry.substring(1)) && name.length() > entry.length() - 1
                : name.equals(entry));
    }

    /** Validates the URL of a link before it is fetched; returns it unchanged. */
    public String checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.invalid("url", "url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.invalid("url", "only http and https links are fetched");
        }
        if (uri.getHost() == null || uri.getUserInfo() != null) {
            throw ApiException.invalid("url", "url must have a host and no user info");
        }
        try {
            resolve(uri.getHost());
        } catch (ForbiddenAddressException e) {
            throw new ApiException(422, "forbidden_address", "url", e.getMessage());
        } catch (UnknownHostException e) {
            throw new ApiException(422, "link_fetch_failed", "url", "unknown host " + uri.getHost());
        }
        return url;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!isAllowedHost(bare)) {
            throw new ForbiddenAddressException("refusing to fetch " + host
                    + ": it is not in app.push.link-fetch.allowed-hosts");
        }
        InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(bare);
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                String refused = isOwnAddress(address) ? "an address of this host"
                        : isInternal(address) ? "an internal address" : null;
                if (refused != null) {
                    throw new ForbiddenAddressException("refusing to fetch " + host + ": it resolves to "
                            + address.getHostAddress() + ", " + refused + " (app.push.link-fetch.allow-private=false)");
                }
            }
        }
        return addresses;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
    }

    /** True for an address that is not globally reachable, also when it hides one in a mapped, NAT64 or 6to4 form. */
    static boolean isInternal(InetAddress address) {
        String literal = address.getHostAddress();
        if (NOT_GLOBALLY_REACHABLE.stream().anyMatch(range -> range.matches(literal))) {
            return true;
        }
        InetAddress embedded = embeddedIpv4(address);
        return embedded != null && isInternal(embedded);
    }

    /** True for an address bound to one of this host's network interfaces (also in an IPv6 form embedding it). */
    public boolean isOwnAddress(InetAddress address) {
        Set<InetAddress> own = ownAddresses();
        InetAddress embedded = embeddedIpv4(address);
        return own.contains(address) || (embedded != null && own.contains(embedded));
    }

    private Set<InetAddress> ownAddresses() {
        long now = System.currentTimeMillis();
        if (now - ownAddressesRead > INTERFACE_CACHE_MS) {
            try {
                ownAddresses = NetworkInterface.networkInterfaces()
                        .flatMap(NetworkInterface::inetAddresses)
                        .map(LinkFetchGuard::withoutScope)
                        .collect(Collectors.toUnmodifiableSet());
            } catch (SocketException e) {
                ownAddresses = Collections.emptySet();
            }
            ownAddressesRead = now;
        }
        return ownAddresses;
    }

    /** The IPv4 address inside a NAT64 (64:ff9b::/96), 6to4 (2002::/16) or IPv4-mapped address, else null. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        byte[] b = address.getAddress();
        byte[] v4 = null;
        if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = Arrays.copyOfRange(b, 2, 6);
        } else if (startsWith(b, new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})
                || startsWith(b, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff})) {
            v4 = Arrays.copyOfRange(b, 12, 16);
        }
        try {
            return v4 == null ? null : Inet4Address.getByAddress(v4);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean startsWith(byte[] address, byte[] prefix) {
        return Arrays.equals(address, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static InetAddress withoutScope(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            return address;
        }
    }

    private static String normalizeHost(String host) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** A host that resolves to an address the guard refuses, or is not on the allow-list. */
    public static class ForbiddenAddressException extends UnknownHostException {
        public ForbiddenAddressException(String message) {
            super(message);
        }
    }
}
