package io.cortex.core.json;

import static io.cortex.core.json.Json.q;
import static io.cortex.core.json.Json.read;
import static io.cortex.core.json.Json.readError;
import static io.cortex.core.json.Json.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.Resources;
import io.cortex.core.provider.WalletBalance;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CortexJsonTest {
    /** A record with Optional and nullable components, to check the mapper's general rules. */
    record Probe(String name, Optional<String> note, Optional<Duration> limit, Instant at) {}

    @Test
    void mapperIsSharedWhileNewMapperIsAnIndependentCopy() throws Exception {
        ObjectMapper copy = CortexJson.newMapper();
        copy.enable(SerializationFeature.INDENT_OUTPUT);

        assertThat(CortexJson.mapper()).isSameAs(CortexJson.mapper()).isNotSameAs(copy);
        assertThat(CortexJson.mapper().isEnabled(SerializationFeature.INDENT_OUTPUT)).isFalse();
        assertThat(copy.writeValueAsString(Resources.DEFAULT)).isNotEqualTo(write(Resources.DEFAULT));
    }

    @Test
    void instantsAndDurationsAreWrittenAsIsoStrings() {
        Instant at = Instant.parse("2025-03-01T10:15:30.5Z");

        String json = write(new Probe("p", Optional.empty(), Optional.of(Duration.ofMinutes(5)), at));

        assertThat(json).isEqualTo(q("{'name':'p','limit':'PT5M','at':'2025-03-01T10:15:30.500Z'}"));
    }

    @Test
    void instantsKeepNanosecondsOnRoundTrip() {
        assertThat(read(write(Samples.T0), Instant.class)).isEqualTo(Samples.T0);
    }

    @Test
    void nullsAndEmptyOptionalsAreOmittedAndReadBackAsEmpty() {
        Probe probe = new Probe(null, Optional.empty(), Optional.empty(), null);

        String json = write(probe);

        assertThat(json).isEqualTo("{}");
        assertThat(read(json, Probe.class)).isEqualTo(probe);
        assertThat(read(q("{'note':null}"), Probe.class).note()).isEmpty();
    }

    @Test
    void presentOptionalIsWrittenAsItsValueAndReadBack() {
        Probe probe = new Probe("p", Optional.of("hello"), Optional.of(Duration.ofSeconds(90)), Samples.T0);

        String json = write(probe);

        assertThat(json).contains(q("'note':'hello'"), q("'limit':'PT1M30S'"));
        assertThat(read(json, Probe.class)).isEqualTo(probe);
    }

    @Test
    void moneyIsWrittenAsPlainDecimalString() {
        assertThat(write(new BigDecimal("10.0"))).isEqualTo(q("'10.0'"));
        assertThat(write(new BigDecimal("1E+3"))).isEqualTo(q("'1000'"));
        assertThat(write(new BigDecimal("0.000001"))).isEqualTo(q("'0.000001'"));
    }

    @Test
    void moneyIsReadExactlyFromStringOrNumber() {
        assertThat(read(q("'10.0'"), BigDecimal.class)).isEqualTo(new BigDecimal("10.0"));
        assertThat(read("0.1", BigDecimal.class)).isEqualTo(new BigDecimal("0.1"));
        assertThat(read("12345678901234567890.123456789", BigDecimal.class))
                .isEqualTo(new BigDecimal("12345678901234567890.123456789"));
        assertThat(read("7", BigDecimal.class)).isEqualTo(new BigDecimal("7"));
    }

    @Test
    void moneyThatIsNotANumberIsRejectedNamingTheValue() {
        assertThat(readError(q("{'amount':'ten','currency':'USDC'}"), WalletBalance.class))
                .contains("\"ten\"", "amount");
    }

    @Test
    void unknownFieldIsRejectedNamingTheField() {
        assertThatThrownBy(() -> CortexJson.mapper().readValue(q("{'image':'busybox','imagee':'x'}"), JobSpec.class))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("\"imagee\"");
        assertThat(readError(q("{'cpu':1000,'memory':'1Gi','storage':'10Gi','cpus':2}"), Resources.class))
                .contains("Unrecognized field \"cpus\"");
        assertThat(readError(q("{'amount':'1','currency':'USDC','amout':'2'}"), WalletBalance.class))
                .contains("Unrecognized field \"amout\"");
    }

    @Test
    void trailingContentIsRejected() {
        assertThat(readError(q("{'amount':'1','currency':'USDC'} {}"), WalletBalance.class)).contains("Trailing token");
    }

    @Test
    void moduleBringsJavaTimeSupportAlong() throws Exception {
        ObjectMapper plain = new ObjectMapper().registerModule(CortexJson.module());

        assertThat(plain.readValue(q("'2025-03-01T10:15:30Z'"), Instant.class))
                .isEqualTo(Instant.parse("2025-03-01T10:15:30Z"));
    }
}
