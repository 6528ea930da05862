/**
 * Small helpers shared by Cortex's modules and plugins: {@link io.cortex.core.util.Preconditions}.
 */
package io.cortex.core.util;
