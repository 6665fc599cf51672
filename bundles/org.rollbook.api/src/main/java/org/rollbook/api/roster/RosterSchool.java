package org.rollbook.api.roster;

/** A school as the provider lists it, for mapping schools to library sites. */
public record RosterSchool(String id, String name, String number) {
}
