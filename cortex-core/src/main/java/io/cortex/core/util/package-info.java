/**
 * Small helpers shared by Cortex's modules and plugins: {@link io.cortex.core.util.Preconditions},
 * {@link io.cortex.core.util.Threads}.
 */
package io.cortex.core.util;
