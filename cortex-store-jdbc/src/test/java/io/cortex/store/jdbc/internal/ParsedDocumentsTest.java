package io.cortex.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A remembered object comes back only for the very document it was parsed from. */
class ParsedDocumentsTest {
    @Test
    void theSameDocumentGivesTheRememberedObjectAndAnyOtherDocumentNothing() {
        ParsedDocuments<Object> parsed = new ParsedDocuments<>(10);
        Object v2 = new Object();
        parsed.put("job_1", "{\"version\":2}", v2);

        assertThat(parsed.get("job_1", "{\"version\":2}")).isSameAs(v2);
        assertThat(parsed.get("job_1", "{\"version\":3}")).as("changed since: parse it").isNull();
        assertThat(parsed.get("job_2", "{\"version\":2}")).isNull();

        parsed.remove("job_1");
        assertThat(parsed.get("job_1", "{\"version\":2}")).isNull();
    }

    @Test
    void whenFullItStartsOverInsteadOfKeepingTheOldestForEver() {
        ParsedDocuments<String> parsed = new ParsedDocuments<>(2);
        parsed.put("a", "1", "A");
        parsed.put("b", "1", "B");
        parsed.put("a", "2", "A2"); // a known id replaces in place

        parsed.put("c", "1", "C");

        assertThat(parsed.size()).isEqualTo(1);
        assertThat(parsed.get("c", "1")).isEqualTo("C");
        assertThat(parsed.get("a", "2")).isNull();
    }
}
