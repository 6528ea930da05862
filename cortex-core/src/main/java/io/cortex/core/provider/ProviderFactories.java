package io.cortex.core.provider;

import io.cortex.core.util.Preconditions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider factories found on a class path. Discovery never crashes the host: a plugin that
 * cannot be loaded is reported in {@link #problems()} and logged, the others still work. Two
 * factories claiming one type, or an unknown type, is an error when that type is asked for.
 */
public final class ProviderFactories {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderFactories.class);

    private final Map<String, List<ProviderFactory>> byType;
    private final List<String> problems;

    private ProviderFactories(Map<String, List<ProviderFactory>> byType, List<String> problems) {
        this.byType = byType;
        this.problems = problems;
    }

    /** The factories visible to this class's class loader. */
    public static ProviderFactories discover() {
        return discover(ProviderFactories.class.getClassLoader());
    }

    /**
     * The factories visible to {@code loader}.
     *
     * @throws NullPointerException when {@code loader} is null
     */
    public static ProviderFactories discover(ClassLoader loader) {
        Preconditions.notNull(loader, "classLoader");
        Map<String, List<ProviderFactory>> byType = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Iterator<ProviderFactory> it = ServiceLoader.load(ProviderFactory.class, loader).iterator();
        while (true) {
            ProviderFactory factory;
            try {
                if (!it.hasNext()) {
                    break;
                }
                factory = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                String problem = "a provider plugin could not be loaded and is skipped: " + e.getMessage()
                        + (e.getCause() != null ? " (cause: " + e.getCause() + ")" : "");
                problems.add(problem);
                LOG.error(problem, e);
                continue;
            }
            String type;
            try {
                type = factory.type();
            } catch (RuntimeException | LinkageError e) {
                String problem = "provider plugin " + factory.getClass().getName() + " failed to say its type and is skipped: " + e;
                problems.add(problem);
                LOG.error(problem, e);
                continue;
            }
            if (type == null || type.isBlank()) {
                String problem = "provider plugin " + factory.getClass().getName() + " has no type and is skipped";
                problems.add(problem);
                LOG.error(problem);
                continue;
            }
            byType.computeIfAbsent(type, t -> new ArrayList<>()).add(factory);
        }
        byType.forEach((type, list) -> {
            if (list.size() > 1) {
                String problem = "provider type '" + type + "' is claimed by " + classNames(list);
                problems.add(problem);
                LOG.error(problem);
            }
        });
        return new ProviderFactories(byType, Collections.unmodifiableList(problems));
    }

    /** Factories given explicitly, e.g. in tests or without ServiceLoader. */
    public static ProviderFactories of(ProviderFactory... factories) {
        Map<String, List<ProviderFactory>> byType = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ProviderFactory f : factories) {
            byType.computeIfAbsent(f.type(), t -> new ArrayList<>()).add(f);
        }
        byType.forEach((type, list) -> {
            if (list.size() > 1) {
                problems.add("provider type '" + type + "' is claimed by " + classNames(list));
            }
        });
        return new ProviderFactories(byType, Collections.unmodifiableList(problems));
    }

    private static String classNames(List<ProviderFactory> list) {
        return String.join(" and ", list.stream().map(f -> f.getClass().getName()).toList());
    }

    /**
     * The factory for {@code type}.
     *
     * @throws IllegalArgumentException when no factory has that type; the message lists the known types
     * @throws IllegalStateException when several factories claim it; the message names their classes
     */
    public ProviderFactory find(String type) {
        Preconditions.notNull(type, "type");
        List<ProviderFactory> list = byType.get(type);
        if (list == null) {
            throw new IllegalArgumentException("unknown provider type '" + type + "'; known types: "
                    + (byType.isEmpty() ? "none (no provider plugin on the class path)" : new TreeSet<>(byType.keySet())));
        }
        if (list.size() > 1) {
            throw new IllegalStateException("provider type '" + type + "' is claimed by " + classNames(list)
                    + "; remove one of them from the class path");
        }
        return list.get(0);
    }

    /** The known types, sorted. */
    public List<String> types() {
        return List.copyOf(new TreeSet<>(byType.keySet()));
    }

    /** What went wrong during discovery; empty when nothing did. */
    public List<String> problems() {
        return problems;
    }
}
