package dev.reel.webhooks.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    private final AddressPolicy strict = new AddressPolicy(List.of());

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "::1", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255",
            "192.168.1.1", "169.254.169.254", "fe80::1", "fd12:3456::1", "100.64.0.1", "224.0.0.1", "255.255.255.255",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "198.18.0.1"})
    void refusesLoopbackPrivateLinkLocalAndReserved(String address) throws Exception {
        assertThat(strict.refusal(InetAddress.getByName(address))).as(address).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "100.128.0.1"})
    void allowsPublicAddresses(String address) throws Exception {
        assertThat(strict.refusal(InetAddress.getByName(address))).as(address).isEmpty();
    }

    @Test
    void aConfiguredNetworkIsAllowed() throws Exception {
        AddressPolicy lenient = new AddressPolicy(List.of(Cidr.parse("127.0.0.1/32"), Cidr.parse("10.20.0.0/16")));
        assertThat(lenient.refusal(InetAddress.getByName("127.0.0.1"))).isEmpty();
        assertThat(lenient.refusal(InetAddress.getByName("127.0.0.2"))).isPresent();
        assertThat(lenient.refusal(InetAddress.getByName("10.20.255.1"))).isEmpty();
        assertThat(lenient.refusal(InetAddress.getByName("10.21.0.1"))).isPresent();
    }

    @Test
    void cidrsAreParsedStrictly() {
        assertThat(Cidr.parse("192.168.0.0/23").contains(addr("192.168.1.200"))).isTrue();
        assertThat(Cidr.parse("192.168.0.0/23").contains(addr("192.168.2.1"))).isFalse();
        assertThat(Cidr.parse("fd00::/8").contains(addr("fdff::1"))).isTrue();
        assertThat(Cidr.parse("fd00::/8").contains(addr("10.0.0.1"))).isFalse();
        for (String bad : List.of("example.com", "10.0.0.0/33", "10.0.0.0/x", "")) {
            assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theResolverDropsRefusedAddressesAndFailsWhenNoneIsLeft() throws Exception {
        GuardedResolver resolver = new GuardedResolver(fixed(List.of("10.0.0.5", "93.184.216.34")), strict);
        assertThat(resolve(resolver, "mixed.example")).extracting(a -> a.getAddress().getHostAddress())
                .containsExactly("93.184.216.34");
        GuardedResolver privateOnly = new GuardedResolver(fixed(List.of("169.254.169.254")), strict);
        assertThatThrownBy(() -> resolve(privateOnly, "metadata.example")).hasRootCauseMessage(
                "refused to connect to metadata.example: 169.254.169.254 is a link-local address; deliveries go there only"
                        + " if REEL_WEBHOOKS_ALLOWED_NETWORKS includes it");
    }

    @Test
    void everyConnectionIsJudgedOnWhatTheNameResolvesToThen() throws Exception {
        // DNS rebinding: public when the endpoint was registered, loopback when the delivery connects
        AtomicInteger lookups = new AtomicInteger();
        SocketAddressResolver rebinding = (host, port, context, promise) -> promise.succeeded(List.of(
                new InetSocketAddress(addr(lookups.getAndIncrement() == 0 ? "93.184.216.34" : "127.0.0.1"), port)));
        GuardedResolver resolver = new GuardedResolver(rebinding, strict);
        assertThat(resolve(resolver, "rebind.example")).hasSize(1);
        assertThatThrownBy(() -> resolve(resolver, "rebind.example")).hasRootCauseMessage(
                "refused to connect to rebind.example: 127.0.0.1 is a loopback address; deliveries go there only if"
                        + " REEL_WEBHOOKS_ALLOWED_NETWORKS includes it");
    }

    private static SocketAddressResolver fixed(List<String> addresses) {
        return (host, port, context, promise) -> {
            List<InetSocketAddress> resolved = new ArrayList<>();
            addresses.forEach(a -> resolved.add(new InetSocketAddress(addr(a), port)));
            promise.succeeded(resolved);
        };
    }

    private static List<InetSocketAddress> resolve(GuardedResolver resolver, String host)
            throws InterruptedException, ExecutionException {
        CompletableFuture<List<InetSocketAddress>> result = new CompletableFuture<>();
        resolver.resolve(host, 443, Map.of(), Promise.from(result::complete, result::completeExceptionally));
        return result.get();
    }

    private static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
