package io.cortex.core.service;

/** Where an engine service stands. */
public enum ServiceState {
    /** Doing its work. */
    RUNNING,
    /** Stopped on request (or not started yet). */
    STOPPED,
    /** Stopped by an error; see {@link ServiceInfo#failure()}. */
    FAILED
}
