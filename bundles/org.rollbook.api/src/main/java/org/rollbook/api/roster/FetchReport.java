package org.rollbook.api.roster;

/**
 * How a fetch ended. Only a {@code complete} full fetch lets the sync engine infer that a person absent
 * from it has left (SPEC §4.2); otherwise {@code incompleteReason} says why not.
 *
 * @param complete         every page of every needed collection was read without error, totals agree
 * @param incompleteReason why the fetch is not complete, or null
 * @param cursor           where the next CHANGES fetch starts, or null if the provider has none
 * @param records          how many records were delivered to the sink
 */
public record FetchReport(boolean complete, String incompleteReason, String cursor, long records) {

    public static FetchReport complete(String cursor, long records) {
        return new FetchReport(true, null, cursor, records);
    }

    public static FetchReport incomplete(String reason, String cursor, long records) {
        return new FetchReport(false, reason, cursor, records);
    }
}
