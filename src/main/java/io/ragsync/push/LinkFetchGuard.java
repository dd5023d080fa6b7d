package io.ragsync.push;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.apache.camel.Body;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keeps link fetching away from internal networks (SSRF): only http and https, and unless
 * app.push.link-fetch.allow-private is true no loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
 * link-local (169.254/16 incl. cloud metadata, fe80::/10), CGNAT (100.64/10), unspecified or multicast
 * address. It checks the URL up front (a clear 422) and is also the DNS resolver of the link-fetch HTTP client,
 * so every connection, redirects included, goes only to addresses that passed the check (no DNS rebinding).
 */
@Component("linkFetchGuard")
public class LinkFetchGuard implements DnsResolver {

    private volatile boolean allowPrivate;

    public LinkFetchGuard(@Value("${app.push.link-fetch.allow-private}") boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    public boolean isAllowPrivate() {
        return allowPrivate;
    }

    /** For tests and operators (JMX-free toggle): allow or refuse private addresses from now on. */
    public void setAllowPrivate(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Validates the URL of a link before it is fetched; returns it unchanged. */
    public String checkUrl(@Body String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw PushApiException.invalid("url", "url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw PushApiException.invalid("url", "only http and https links are fetched");
        }
        if (uri.getHost() == null || uri.getUserInfo() != null) {
            throw PushApiException.invalid("url", "url must have a host and no user info");
        }
        try {
            resolve(uri.getHost());
        } catch (ForbiddenAddressException e) {
            throw new PushApiException(422, "forbidden_address", "url", e.getMessage());
        } catch (UnknownHostException e) {
            throw new PushApiException(422, "link_fetch_failed", "url", "unknown host " + uri.getHost());
        }
        return url;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(bare);
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                if (isInternal(address)) {
                    throw new ForbiddenAddressException("refusing to fetch " + host + ": it resolves to "
                            + address.getHostAddress() + ", an internal address (app.push.link-fetch.allow-private=false)");
                }
            }
        }
        return addresses;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0                                   // "this network"
                    || (first == 100 && second >= 64 && second <= 127)  // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || first >= 240;                             // reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {                       // unique local fc00::/7
                return true;
            }
            boolean mapped = true;                               // ::ffff:a.b.c.d maps an IPv4 address
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A host that resolves to an address the guard refuses. */
    public static class ForbiddenAddressException extends UnknownHostException {
        public ForbiddenAddressException(String message) {
            super(message);
        }
    }
}
