package io.cortex.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.util.MeterRegistries;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** {@code Cortex.builder().meterRegistry(…)} takes an Object (Micrometer is optional) and checks it by class name. */
class MeterRegistryOptionTest {
    @Test
    void anythingButAMicrometerRegistryIsRefusedNamingTheOptionAndTheTypeItMustBe() {
        assertThatThrownBy(() -> Cortex.builder().meterRegistry("prometheus"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("meterRegistry must be a io.micrometer.core.instrument.MeterRegistry (from "
                        + "io.micrometer:micrometer-core), got java.lang.String");
        assertThatThrownBy(() -> Cortex.builder().meterRegistry(null))
                .isInstanceOf(NullPointerException.class).hasMessage("meterRegistry cannot be null");
    }

    @Test
    void settingTheRegistryTwiceSaysWhatItWasSetTo() {
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        Cortex.Builder b = Cortex.builder().meterRegistry(first);
        assertThatThrownBy(() -> b.meterRegistry(new SimpleMeterRegistry()))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("meterRegistry was already set to ");
    }

    @Test
    void subclassesOfMeterRegistryAreRecognisedWithoutLoadingMicrometer() {
        assertThat(MeterRegistries.isInstance(new CompositeMeterRegistry(), MeterRegistries.METER_REGISTRY)).isTrue();
        assertThat(MeterRegistries.isInstance(new SimpleMeterRegistry(), MeterRegistries.METER_REGISTRY)).isTrue();
        assertThat(MeterRegistries.isInstance(new Object(), MeterRegistries.METER_REGISTRY)).isFalse();
        assertThat(MeterRegistries.isInstance(null, MeterRegistries.METER_REGISTRY)).isFalse();
    }
}
