package dev.reel.catalog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.reel.catalog.query.QueryParameters.BadParameterException;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.UrlEncoded;

/**
 * Fuzzing of the catalog APIs' query strings, decoded as Jetty decodes them: every parameter is read within its
 * bounds or refused with a {@link BadParameterException} (400 with a reason), never a 500. A query Jetty itself cannot
 * decode is its 400 ({@link IllegalArgumentException}). CI replays {@code QueryParametersFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class QueryParametersFuzzTest {

    @FuzzTest
    void queryStrings(String query) {
        if (query == null) {
            return; // Jetty hands a request without a query no parameters at all
        }
        Fields fields = new Fields();
        try {
            UrlEncoded.decodeUtf8To(query, fields);
        } catch (IllegalArgumentException undecodable) {
            return;
        }
        QueryParameters params = new QueryParameters(fields);
        List<Supplier<Object>> reads = List.of(params::visibility, params::state, params::owner,
                () -> params.limit(50, 200), params::cursor, params::after, params::window);
        for (Supplier<Object> read : reads) {
            try {
                read.get();
            } catch (BadParameterException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        }
        try {
            assertThat(params.limit(50, 200)).isBetween(1, 200);
        } catch (BadParameterException refused) {
            // a limit out of range or not a number
        }
    }
}
