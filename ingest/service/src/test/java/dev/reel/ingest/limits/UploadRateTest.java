package dev.reel.ingest.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.service.http.ApiException;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class UploadRateTest {

    @Test
    void eachOwnerHasItsOwnAllowanceAndIsToldWhenTheNextFits() {
        UploadRate rate = new UploadRate(3);
        HttpFields.Mutable headers = HttpFields.build();
        for (int i = 0; i < 3; i++) {
            rate.take("alice", headers);
        }
        assertThatThrownBy(() -> rate.take("alice", headers)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(429));
        // 3 an hour: the next one fits in about 20 minutes
        assertThat(Long.parseLong(headers.get("Retry-After"))).isBetween(1100L, 1201L);
        rate.take("bob", HttpFields.build()); // bob's allowance is untouched
    }
}
