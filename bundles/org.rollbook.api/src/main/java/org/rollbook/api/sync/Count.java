package org.rollbook.api.sync;

import org.rollbook.api.patron.PatronType;

/** How many records of one type at one site landed in one situation with one outcome. */
public record Count(Situation situation, Outcome outcome, PatronType type, String site, long records) {
}
