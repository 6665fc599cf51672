package org.rollbook.api.store;

import java.util.List;

/** The patron ids of a committed batch, in the order of its writes (new ids for creates). */
public record BatchResult(List<Long> patronIds) {

    public BatchResult {
        patronIds = List.copyOf(patronIds);
    }
}
