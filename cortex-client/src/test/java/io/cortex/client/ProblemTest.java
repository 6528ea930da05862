package io.cortex.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void typeSuffixIsTheLastSegmentOfTheType() {
        assertThat(problem("https://cortex.io/problems/not-found").typeSuffix()).isEqualTo("not-found");
        assertThat(problem("https://cortex.io/problems/rate-limited/").typeSuffix()).isEqualTo("rate-limited");
        assertThat(problem("about:blank").typeSuffix()).isEmpty();
        assertThat(problem(null).typeSuffix()).isEmpty();
    }

    @Test
    void summaryPrefersTheDetail() {
        assertThat(new Problem(null, "Title", 400, "Detail", null, null, null, null).summary()).contains("Detail");
        assertThat(new Problem(null, "Title", 400, " ", null, null, null, null).summary()).contains("Title");
        assertThat(new Problem(null, null, 400, null, null, null, List.of(), Map.of()).summary()).isEmpty();
    }

    private static Problem problem(String type) {
        return new Problem(type, null, 0, null, null, null, null, null);
    }
}
