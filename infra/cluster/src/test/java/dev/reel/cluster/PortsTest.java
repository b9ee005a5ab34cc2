package dev.reel.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void aFreePortIsBelowTheEphemeralRangeAndBindable() throws Exception {
        for (int i = 0; i < 20; i++) {
            int port = Ports.free();
            assertThat(port).as("never a port an outgoing connection may hold").isBetween(10_000, 19_999);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    @Test
    void aPortInUseIsNamedWithItsUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(Ports.free(), 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> Ports.requireFree(port, "the front door"))
                    .isInstanceOf(Ports.PortInUseException.class).hasMessageContaining("port " + port + " (the front door)");
        }
    }
}
