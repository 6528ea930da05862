package io.cortex.provider.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    private static List<String> split(byte[] bytes, int max) throws IOException {
        List<String> lines = new ArrayList<>();
        LineSplitter.split(new ByteArrayInputStream(bytes), max, lines::add);
        return lines;
    }

    @Test
    void splitsOnNewlinesDroppingCarriageReturnsAndKeepsALastLineWithoutNewline() throws IOException {
        assertThat(split("a\r\nb\n\nc".getBytes(StandardCharsets.UTF_8), 100)).containsExactly("a", "b", "", "c");
    }

    @Test
    void cutsLinesLongerThanTheMaximum() throws IOException {
        assertThat(split("abcdefghij\nxy\n".getBytes(StandardCharsets.UTF_8), 4)).containsExactly("abcd", "efgh", "ij", "xy");
    }

    @Test
    void decodesMalformedUtf8AsReplacementCharacters() throws IOException {
        byte[] bytes = {'o', 'k', (byte) 0xff, (byte) 0xc3, (byte) 0xa9, '\n'};

        assertThat(split(bytes, 100)).containsExactly("ok\uFFFDé");
    }
}
