package dev.reel.webhooks.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    @Test
    void signsLikeTheStandardWebhooksExample() {
        // The example of the Standard Webhooks specification (standard-webhooks/standard-webhooks, spec/standard-webhooks.md)
        byte[] key = Secrets.signingKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String header = Signatures.header(List.of(key), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
        assertThat(header).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void everyValidSecretSignsSeparatedBySpaces() {
        Secrets secrets = new Secrets("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
        byte[] current = Secrets.signingKey(secrets.generate());
        byte[] previous = Secrets.signingKey(secrets.generate());
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String header = Signatures.header(List.of(current, previous), "id-1", 42, body);
        assertThat(header.split(" ")).containsExactly("v1," + Signatures.sign(current, "id-1", 42, body),
                "v1," + Signatures.sign(previous, "id-1", 42, body));
        assertThat(Signatures.sign(current, "id-1", 43, body)).as("the timestamp is signed")
                .isNotEqualTo(Signatures.sign(current, "id-1", 42, body));
        assertThat(Signatures.sign(current, "id-2", 42, body)).as("the id is signed")
                .isNotEqualTo(Signatures.sign(current, "id-1", 42, body));
    }

    @Test
    void sealedSecretsOpenOnlyForTheirEndpointWithTheServiceKey() {
        Secrets secrets = new Secrets("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
        String secret = secrets.generate();
        assertThat(secret).startsWith("whsec_");
        assertThat(Secrets.signingKey(secret)).hasSize(24);
        String sealed = secrets.seal("wh_endpoint1", secret);
        assertThat(sealed).doesNotContain(secret.substring(6));
        assertThat(secrets.open("wh_endpoint1", sealed)).isEqualTo(secret);
        assertThatThrownBy(() -> secrets.open("wh_endpoint2", sealed)).isInstanceOf(IllegalArgumentException.class);
        Secrets other = new Secrets("another key of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> other.open("wh_endpoint1", sealed)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Secrets(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }
}
