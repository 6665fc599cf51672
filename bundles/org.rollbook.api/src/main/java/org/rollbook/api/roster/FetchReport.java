package org.rollbook.api.roster;

/**
 * How a fetch ended. Only a {@code complete} full fetch lets the sync engine infer that a person absent
 * from it has left (SPEC §4.2); otherwise {@code incompleteReason} says why not.
 *
 * @param complete         every page of every needed collection was read without error, totals agree
 * @param incompleteReason why the fetch is not complete, or null
 * @param cursor           where the next CHANGES fetch starts, or null if the provider has none
 * @param records          how many records were delivered to the sink
 * @param performed        what the connector actually did, when it differs from the request: FULL when a
 *                         CHANGES fetch had to read everything (e.g. the cursor expired); null otherwise
 * @param note             a remark for the operation's summary (why it fell back), or null
 */
public record FetchReport(boolean complete, String incompleteReason, String cursor, long records, FetchKind performed,
        String note) {

    public FetchReport(boolean complete, String incompleteReason, String cursor, long records) {
        this(complete, incompleteReason, cursor, records, null, null);
    }

    public static FetchReport complete(String cursor, long records) {
        return new FetchReport(true, null, cursor, records);
    }

    public static FetchReport incomplete(String reason, String cursor, long records) {
        return new FetchReport(false, reason, cursor, records);
    }

    /** The same report, saying the connector read the whole roster instead of changes, and why. */
    public FetchReport performedFull(String why) {
        return new FetchReport(complete, incompleteReason, cursor, records, FetchKind.FULL, why);
    }
}
