package io.cortex.core.provider;

/**
 * Where a provider pushes status changes as they happen. Thread-safe; may be called from any thread,
 * also from inside {@link ComputeProvider#submit}. Reports for an attempt the engine has moved on
 * from are ignored.
 */
@FunctionalInterface
public interface ProviderUpdates {
    /** An attempt changed. */
    void report(AttemptRef attempt, ProviderJobRef ref, RemoteStatus status);
}
