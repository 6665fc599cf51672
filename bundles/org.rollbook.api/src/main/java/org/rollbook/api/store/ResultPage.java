package org.rollbook.api.store;

import java.util.List;

/** One page of a longer result; {@code total} counts every match, not just this page. */
public record ResultPage<T>(List<T> items, long total, int offset, int limit) {

    public ResultPage {
        items = List.copyOf(items);
    }
}
