package io.cortex.client.internal;

import okhttp3.Headers;

/**
 * An answer read off the wire, its body in memory and its OkHttp response already closed.
 *
 * @param status the HTTP status
 * @param headers the headers
 * @param body the body, possibly empty (an error body is cut at 64 KiB)
 */
public record HttpResult(int status, Headers headers, byte[] body) {
    /**
     * True for 2xx.
     *
     * @return whether the status is a success
     */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
