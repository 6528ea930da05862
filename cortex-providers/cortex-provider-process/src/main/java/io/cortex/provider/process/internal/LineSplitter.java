package io.cortex.provider.process.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into lines: a line ends at {@code \n} (a {@code \r} before it is dropped) or
 * when it reaches the maximum length, so one endless line cannot exhaust memory. Bytes are decoded
 * as UTF-8; malformed input becomes U+FFFD instead of failing.
 */
public final class LineSplitter {
    private LineSplitter() {}

    /**
     * Reads {@code in} to its end and hands each line to {@code sink}.
     *
     * @param maxLineBytes the longest line in bytes; a longer one is cut into pieces of this size
     * @throws IOException when reading fails
     * @throws IllegalArgumentException when {@code maxLineBytes} is less than 1
     */
    public static void split(InputStream in, int maxLineBytes, Consumer<String> sink) throws IOException {
        Objects.requireNonNull(in, "in cannot be null");
        Objects.requireNonNull(sink, "sink cannot be null");
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1, got " + maxLineBytes);
        }
        byte[] buffer = new byte[8192];
        byte[] line = new byte[Math.min(maxLineBytes, 8192)];
        int length = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    sink.accept(decode(line, length, true));
                    length = 0;
                    continue;
                }
                if (length == line.length) {
                    if (length >= maxLineBytes) {
                        sink.accept(decode(line, length, false));
                        length = 0;
                    } else {
                        line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
                    }
                }
                line[length++] = b;
            }
        }
        if (length > 0) {
            sink.accept(decode(line, length, true));
        }
    }

    private static String decode(byte[] bytes, int length, boolean endOfLine) {
        int end = length;
        if (endOfLine && end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
