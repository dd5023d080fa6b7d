package io.ragsync.platform.security;

import io.ragsync.platform.api.ApiException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragsync.sources.push.LinkFetchGuard;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Comparator;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * LinkFetchGuard refuses every address that is not globally reachable (IANA special-purpose registries), the
 * host's own interface addresses and, with an allow-list, every host not on it. IP literals only: no DNS needed.
 */
class LinkGuardSecurityTest {

    final LinkFetchGuard guard = new LinkFetchGuard(false);

    @Test
    void documentationAndBenchmarkRangesAreRefused() {
        for (String address : new String[] {"192.0.2.1", "198.18.0.1", "198.19.255.254", "198.51.100.7",
                "203.0.113.9", "192.88.99.1", "255.255.255.255", "2001:db8::1", "3fff::1", "100::1", "5f00::1",
                "2001::1"}) {
            assertThatThrownBy(() -> guard.resolve(address)).as(address)
                    .isInstanceOf(LinkFetchGuard.ForbiddenAddressException.class);
        }
    }

    @Test
    void privateAddressesInMappedNat64And6to4FormsAreRefused() {
        for (String address : new String[] {"::ffff:10.0.0.1", "64:ff9b::a00:1", "64:ff9b::7f00:1",
                "64:ff9b::c0a8:101", "64:ff9b:1::1", "2002:a00:1::1", "2002:7f00:1::1", "2002:a9fe:a9fe::1"}) {
            assertThatThrownBy(() -> guard.resolve(address)).as(address)
                    .isInstanceOf(LinkFetchGuard.ForbiddenAddressException.class);
        }
    }

    @Test
    void addressOfThisHostsOwnInterfaceIsRefused() throws Exception {
        Optional<InetAddress> own = NetworkInterface.networkInterfaces()
                .filter(nic -> !isLoopback(nic))
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .min(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1));
        Assumptions.assumeTrue(own.isPresent(), "this machine has no non-loopback interface address");
        String literal = own.get().getHostAddress();
        assertThatThrownBy(() -> guard.resolve(literal)).as(literal)
                .isInstanceOf(LinkFetchGuard.ForbiddenAddressException.class)
                .hasMessageContaining("an address of this host");
    }

    @Test
    void publicAddressesAreAllowed() throws Exception {
        assertThat(guard.resolve("8.8.8.8")).containsExactly(InetAddress.getByName("8.8.8.8"));
        assertThat(guard.resolve("2606:4700:4700::1111")).hasSize(1);
        assertThat(guard.resolve("64:ff9b::808:808")).as("NAT64 of 8.8.8.8").hasSize(1);
    }

    @Test
    void allowListAdmitsOnlyListedHostsAndSubdomainsOfStarEntries() throws Exception {
        guard.setAllowedHosts(" docs.example.org , *.Example.com,localhost");
        assertThat(guard.isAllowedHost("docs.example.org")).isTrue();
        assertThat(guard.isAllowedHost("DOCS.Example.org.")).isTrue();
        assertThat(guard.isAllowedHost("a.example.com")).isTrue();
        assertThat(guard.isAllowedHost("x.y.example.com")).isTrue();
        assertThat(guard.isAllowedHost("example.com")).isFalse();
        assertThat(guard.isAllowedHost("badexample.com")).isFalse();
        assertThat(guard.isAllowedHost("www.example.org")).isFalse();

        assertThatThrownBy(() -> guard.resolve("8.8.8.8")).isInstanceOf(LinkFetchGuard.ForbiddenAddressException.class)
                .hasMessageContaining("allowed-hosts");
        assertThatThrownBy(() -> guard.checkUrl("https://evil.example.net/page")).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).getStatus()).isEqualTo(422))
                .hasMessageContaining("allowed-hosts");

        guard.setAllowPrivate(true);
        assertThat(guard.resolve("localhost")).isNotEmpty();
        guard.setAllowedHosts("");
        assertThat(guard.resolve("8.8.8.8")).hasSize(1);
    }

    private static boolean isLoopback(NetworkInterface nic) {
        try {
            return nic.isLoopback() || !nic.isUp();
        } catch (java.net.SocketException e) {
            return true;
        }
    }
}
