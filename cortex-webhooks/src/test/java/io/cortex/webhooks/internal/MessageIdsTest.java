package io.cortex.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageIdsTest {

  @Test
  void oneEventToOneEndpointAlwaysHasTheSameIdAndOthersDiffer() {
    String id = MessageIds.of("evt_1n3dcbd00o34i000r0uj_2", "sub_a");

    assertThat(id).matches("msg_[0-9a-z]{26}").doesNotContain(".");
    assertThat(MessageIds.of("evt_1n3dcbd00o34i000r0uj_2", "sub_a")).isEqualTo(id);
    assertThat(MessageIds.of("evt_1n3dcbd00o34i000r0uj_2", "sub_b")).isNotEqualTo(id);
    assertThat(MessageIds.of("evt_1n3dcbd00o34i000r0uj_3", "sub_a")).isNotEqualTo(id);
    assertThat(MessageIds.of("evt_a", "b_c")).as("the separator keeps the parts apart")
        .isNotEqualTo(MessageIds.of("evt_a_b", "c"));
  }
}
