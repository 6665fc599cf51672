package org.rollbook.api.store;

import java.util.Iterator;

/**
 * The batches of a whole run, which a store may read more than once ({@link PatronStore#load}): each
 * {@link #open()} starts a fresh pass over the same batches in the same order.
 */
@FunctionalInterface
public interface BatchSource {

    /** A new pass over the batches; the store closes it when done with it. */
    Pass open();

    /** One pass; {@link #close()} releases what it reads from (a file, say). */
    interface Pass extends Iterator<PatronBatch>, AutoCloseable {
        @Override
        void close();
    }
}
