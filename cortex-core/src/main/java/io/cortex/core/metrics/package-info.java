/**
 * The engine's bounded time series, read by charts: {@link io.cortex.core.metrics.MetricsHistory}
 * (from {@code Cortex.metricsHistory()}) holds one {@link io.cortex.core.metrics.MetricsSample} per
 * interval of the {@code metrics} service (default: one a minute, 10,080 of them, 7 days), and
 * downsamples them to a {@link io.cortex.core.metrics.HistoryRange}'s step as a
 * {@link io.cortex.core.metrics.MetricsSeries}. Webhook delivery outcomes join the same samples
 * through {@link io.cortex.core.metrics.MetricsHistory#addDeliverySource}.
 */
package io.cortex.core.metrics;
