package io.cortex.core.util;

/**
 * Recognises the optional Micrometer dependency's types by name, without loading a Micrometer class.
 *
 * <p>The engine, the webhook dispatcher, the client and the server accept a Micrometer
 * {@code MeterRegistry} typed as {@code Object}: an application without Micrometer on its class path
 * then loads, and may reflect over, every Cortex class (a method whose signature named a missing
 * class would fail {@code Class.getMethods()}). The registry's type is checked here instead, by class
 * name, when the option is set.
 */
public final class MeterRegistries {
    /** The class every Micrometer registry extends. */
    public static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    private MeterRegistries() {}

    /**
     * Returns {@code registry} when it is a Micrometer {@code MeterRegistry}.
     *
     * @param registry the value given to a {@code meterRegistry(…)} option
     * @param name the option's name, for the message
     * @return {@code registry}
     * @throws NullPointerException when {@code registry} is null
     * @throws IllegalArgumentException when it is not a {@value #METER_REGISTRY}
     */
    public static Object require(Object registry, String name) {
        Preconditions.notNull(registry, name);
        Preconditions.argument(isInstance(registry, METER_REGISTRY),
                "%s must be a %s (from io.micrometer:micrometer-core), got %s", name, METER_REGISTRY,
                registry.getClass().getName());
        return registry;
    }

    /**
     * True when {@code value}'s class is, or extends, the class named {@code className}; no class is
     * loaded. Interfaces are not looked at: Micrometer's registries are classes.
     *
     * @param value the object, may be null (then false)
     * @param className a binary class name such as {@value #METER_REGISTRY}
     * @return whether {@code value} is such an instance
     */
    public static boolean isInstance(Object value, String className) {
        for (Class<?> c = value == null ? null : value.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }
}
