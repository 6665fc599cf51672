package org.rollbook.api.sync;

import org.rollbook.api.patron.PatronField;

/** One field written by a run: its value before and after (null for none). */
public record FieldChange(PatronField field, String before, String after) {
}
