/**
 * Implementation of the Cortex client: the HTTP transport and its retry loop, the mapping of responses
 * to typed exceptions, {@code Retry-After} parsing. <b>Not an API</b>: users must not import this
 * package; it changes without notice.
 */
package io.cortex.client.internal;
