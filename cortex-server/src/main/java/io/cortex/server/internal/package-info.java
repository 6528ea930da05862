/**
 * Implementation of {@code cortex-server}: routes, problem responses, the token buckets and the
 * idempotency cache. Not an API: users must not import anything from this package; it changes
 * without notice.
 */
package io.cortex.server.internal;
