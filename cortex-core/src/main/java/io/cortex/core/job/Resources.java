package io.cortex.core.job;

import io.cortex.core.util.Preconditions;

/**
 * What a job asks for: cpu in millicores, memory and storage as {@link Quantity}, and a GPU count.
 *
 * @param cpuMillis cpu in millicores (1000 = one core), at least 1
 * @param memory memory, more than zero
 * @param storage ephemeral storage, zero or more
 * @param gpus GPUs, zero or more
 */
public record Resources(int cpuMillis, Quantity memory, Quantity storage, int gpus) {
    /** A small default: a quarter core, 256Mi memory, 1Gi storage, no GPU. */
    public static final Resources DEFAULT = new Resources(250, Quantity.mebibytes(256), Quantity.gibibytes(1), 0);

    /**
     * Validates the request.
     *
     * @throws NullPointerException when memory or storage is null
     * @throws IllegalArgumentException naming the field when a value is out of range
     */
    public Resources {
        Preconditions.argument(cpuMillis > 0, "cpu must be at least 1 millicore, got %d", cpuMillis);
        Preconditions.notNull(memory, "memory");
        Preconditions.notNull(storage, "storage");
        Preconditions.argument(memory.bytes() > 0, "memory must be more than 0, got %s", memory);
        Preconditions.argument(gpus >= 0, "gpus must not be negative, got %d", gpus);
    }

    /**
     * Resources from the operator guide's form: {@code of(1000, "1Gi", "10Gi")}.
     *
     * @throws IllegalArgumentException naming the field when a value is invalid
     */
    public static Resources of(int cpuMillis, String memory, String storage) {
        return new Resources(cpuMillis, Quantity.parse("memory", memory), Quantity.parse("storage", storage), 0);
    }

    /** A copy with another GPU count. */
    public Resources withGpus(int count) {
        return new Resources(cpuMillis, memory, storage, count);
    }

    @Override
    public String toString() {
        return "cpu=" + cpuMillis + "m memory=" + memory + " storage=" + storage + (gpus > 0 ? " gpus=" + gpus : "");
    }
}
