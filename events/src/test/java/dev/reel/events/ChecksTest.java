package dev.reel.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written character checks accept exactly what the grammar's regular expressions accept. */
class ChecksTest {

    private static final Pattern URL_SAFE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern LOWER_CASE_UUID = Pattern
            .compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    // Characters on both sides of every range's ends, and some far outside.
    private static final String ALPHABET = "/09:@AZ[`az{_-.GgFf \u00e9\u0130\u212a";

    private final Random random = new Random(42);

    @Test
    void urlSafeNamesAsTheGrammarSays() {
        int accepted = 0;
        for (int i = 0; i < 50_000; i++) {
            String value = i % 2 == 0 ? generated(random.nextInt(132)) : mutated(randomName());
            boolean expected = URL_SAFE_NAME.matcher(value).matches();
            assertThat(Checks.isUrlSafeName(value)).as("'%s'", value).isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        assertThat(accepted).as("the generated values must include valid names").isGreaterThan(1_000);
        assertThat(Checks.isUrlSafeName("a".repeat(128))).isTrue();
        assertThat(Checks.isUrlSafeName("a".repeat(129))).isFalse();
        assertThat(Checks.isUrlSafeName("")).isFalse();
    }

    @Test
    void lowerCaseUuidsAsTheGrammarSays() {
        int accepted = 0;
        for (int i = 0; i < 50_000; i++) {
            String uuid = UUID.randomUUID().toString();
            String value = i % 4 == 0 ? uuid : i % 4 == 1 ? uuid.toUpperCase() : mutated(uuid);
            boolean expected = LOWER_CASE_UUID.matcher(value).matches();
            assertThat(Checks.isLowerCaseUuid(value)).as("'%s'", value).isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        assertThat(accepted).isGreaterThan(10_000);
    }

    private String randomName() {
        return generated(1 + random.nextInt(128)).replaceAll("[^A-Za-z0-9_-]", "a");
    }

    private String generated(int length) {
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return value.toString();
    }

    /** One character replaced, inserted or removed, or nothing (a quarter of the time). */
    private String mutated(String value) {
        StringBuilder mutated = new StringBuilder(value);
        int at = random.nextInt(value.length() + 1);
        char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        switch (random.nextInt(4)) {
            case 0 -> {
                if (at < value.length()) {
                    mutated.setCharAt(at, c);
                }
            }
            case 1 -> mutated.insert(at, c);
            case 2 -> {
                if (at < value.length()) {
                    mutated.deleteCharAt(at);
                }
            }
            default -> {
            }
        }
        return mutated.toString();
    }
}
