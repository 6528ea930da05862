package io.cortex.core.store;

import java.util.List;

/**
 * One page of results.
 *
 * @param items the results
 * @param offset where the page starts
 * @param limit the page size asked for
 * @param total how many results match in all
 */
public record Page<T>(List<T> items, int offset, int limit, long total) {
    /** Copies the items. */
    public Page {
        items = List.copyOf(items);
    }

    /** True when results follow this page. */
    public boolean hasMore() {
        return offset + items.size() < total;
    }
}
