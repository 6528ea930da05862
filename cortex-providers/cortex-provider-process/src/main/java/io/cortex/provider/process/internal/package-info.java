/**
 * Implementation details of the process provider: the bounded log buffer, the line splitter and
 * the process-tree killer. Not part of the public API: do not import from outside
 * {@code cortex-provider-process}; anything here may change in any release.
 */
package io.cortex.provider.process.internal;
