package dev.reel.webhooks.net;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The delivery client's name resolution: resolves as usual, then drops every address the {@link AddressPolicy}
 * refuses, and fails the connection when none is left. The client connects only to the addresses this returns, so the
 * check holds at connect time: a name that resolved to a public address when the endpoint was registered and now
 * resolves to a private one (DNS rebinding) is refused.
 */
public final class GuardedResolver implements SocketAddressResolver {

    private final SocketAddressResolver delegate;
    private final AddressPolicy policy;

    public GuardedResolver(SocketAddressResolver delegate, AddressPolicy policy) {
        this.delegate = delegate;
        this.policy = policy;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        delegate.resolve(host, port, context, new Promise<>() {
            @Override
            public void succeeded(List<InetSocketAddress> addresses) {
                List<InetSocketAddress> allowed = new ArrayList<>();
                String refusal = null;
                for (InetSocketAddress address : addresses) {
                    Optional<String> why = address.getAddress() == null
                            ? Optional.of(host + " did not resolve")
                            : policy.refusal(address.getAddress());
                    if (why.isEmpty()) {
                        allowed.add(address);
                    } else if (refusal == null) {
                        refusal = why.get();
                    }
                }
                if (allowed.isEmpty()) {
                    promise.failed(new ConnectException("refused to connect to " + host + ": "
                            + (refusal == null ? "no address" : refusal)));
                } else {
                    promise.succeeded(allowed);
                }
            }

            @Override
            public void failed(Throwable failure) {
                promise.failed(failure);
            }
        });
    }
}
