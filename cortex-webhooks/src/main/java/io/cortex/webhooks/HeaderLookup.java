package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads request headers for a {@link WebhookVerifier}. Implement it with a method reference to
 * your framework's header accessor, which should be case-insensitive as HTTP header names are, for
 * example {@code request::getHeader} (Servlet) or {@code ctx::header} (Javalin); or adapt a map
 * with {@link #of(Map)}.
 */
@FunctionalInterface
public interface HeaderLookup {

  /**
   * Returns the (first) value of the header {@code name}, or null if absent.
   *
   * @param name a lower-case header name from {@link WebhookHeaders}
   * @return the value, or null
   */
  String get(String name);

  /**
   * Returns every value of the header {@code name}, for a header sent on several lines. The
   * default returns the single value of {@link #get(String)}.
   *
   * @param name a lower-case header name from {@link WebhookHeaders}
   * @return the values, empty if absent; never null
   */
  default List<String> getAll(String name) {
    String value = get(name);
    return value == null ? List.of() : List.of(value);
  }

  /**
   * Adapts a header map, matching names case-insensitively. Values may be {@code String},
   * {@code String[]} or a {@code Collection} of strings (as in {@code Map<String, List<String>>});
   * null keys and values are treated as absent and any other value is read with
   * {@code String.valueOf}. The map is read on each lookup, not copied.
   *
   * @param headers the headers
   * @return a lookup over {@code headers}
   * @throws NullPointerException if {@code headers} is null
   */
  static HeaderLookup of(Map<String, ?> headers) {
    checkNotNull(headers, "headers");
    return new HeaderLookup() {
      @Override
      public String get(String name) {
        Object exact = headers.get(name);
        if (exact instanceof String) {
          return (String) exact;
        }
        for (Map.Entry<String, ?> e : headers.entrySet()) {
          if (name.equalsIgnoreCase(e.getKey())) {
            Object value = e.getValue();
            if (value instanceof String) {
              return (String) value;
            }
            List<String> values = new ArrayList<>(1);
            addValues(value, values);
            if (!values.isEmpty()) {
              return values.get(0);
            }
          }
        }
        return null;
      }

      @Override
      public List<String> getAll(String name) {
        List<String> values = new ArrayList<>(2);
        for (Map.Entry<String, ?> e : headers.entrySet()) {
          if (name.equalsIgnoreCase(e.getKey())) {
            addValues(e.getValue(), values);
          }
        }
        return values;
      }

      private void addValues(Object value, List<String> out) {
        if (value == null) {
          return;
        }
        if (value instanceof String) {
          out.add((String) value);
        } else if (value instanceof Collection) {
          for (Object v : (Collection<?>) value) {
            if (v != null) {
              out.add(String.valueOf(v));
            }
          }
        } else if (value instanceof Object[]) {
          for (Object v : (Object[]) value) {
            if (v != null) {
              out.add(String.valueOf(v));
            }
          }
        } else {
          out.add(String.valueOf(value));
        }
      }

      @Override
      public String toString() {
        return "HeaderLookup.of(" + headers.keySet() + ")";
      }
    };
  }
}
