/**
 * Implementation details of the engine. Not part of the public API: do not import from outside
 * {@code cortex-core}; anything here may change in any release.
 */
package io.cortex.core.internal;
