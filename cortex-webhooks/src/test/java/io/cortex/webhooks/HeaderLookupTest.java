package io.cortex.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderLookupTest {

  @Test
  void mapLookupIgnoresTheCaseOfHeaderNames() {
    HeaderLookup lookup = HeaderLookup.of(Map.of("Webhook-ID", "msg_1"));

    assertThat(lookup.get("webhook-id")).isEqualTo("msg_1");
    assertThat(lookup.get("webhook-timestamp")).isNull();
  }

  @Test
  void listAndArrayValuesYieldTheirFirstNonNullElement() {
    Map<String, Object> headers = new HashMap<>();
    headers.put("webhook-id", Arrays.asList(null, "msg_1", "msg_2"));
    headers.put("webhook-timestamp", new String[] {"1614265330"});
    HeaderLookup lookup = HeaderLookup.of(headers);

    assertThat(lookup.get("webhook-id")).isEqualTo("msg_1");
    assertThat(lookup.get("webhook-timestamp")).isEqualTo("1614265330");
  }

  @Test
  void nullKeysNullValuesAndEmptyListsAreAbsent() {
    Map<String, Object> headers = new HashMap<>();
    headers.put(null, "x");
    headers.put("webhook-id", null);
    headers.put("webhook-signature", List.of());
    HeaderLookup lookup = HeaderLookup.of(headers);

    assertThat(lookup.get("webhook-id")).isNull();
    assertThat(lookup.getAll("webhook-signature")).isEmpty();
  }

  @Test
  void getAllGathersValuesAcrossNameVariants() {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("webhook-signature", List.of("v1,a", "v1,b"));
    headers.put("Webhook-Signature", "v1,c");

    assertThat(HeaderLookup.of(headers).getAll("webhook-signature"))
        .containsExactly("v1,a", "v1,b", "v1,c");
  }

  @Test
  void functionalLookupDefaultsGetAllToItsSingleValue() {
    HeaderLookup lookup = name -> name.equals("webhook-signature") ? "v1,a v1,b" : null;

    assertThat(lookup.getAll("webhook-signature")).containsExactly("v1,a v1,b");
    assertThat(lookup.getAll("webhook-id")).isEmpty();
  }

  @Test
  void nullMapIsAProgrammingError() {
    assertThatThrownBy(() -> HeaderLookup.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("headers cannot be null");
  }
}
