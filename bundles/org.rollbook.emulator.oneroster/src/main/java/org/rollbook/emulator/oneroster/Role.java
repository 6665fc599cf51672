package org.rollbook.emulator.oneroster;

/** OneRoster 1.1 user roles the emulator generates. */
public enum Role {
    STUDENT("student"), TEACHER("teacher"), ADMINISTRATOR("administrator"), PARENT("parent"), GUARDIAN("guardian");

    private final String wire;

    Role(String wire) { this.wire = wire; }

    /** The value on the wire ({@code role} in 1.1). */
    public String wire() { return wire; }

    public static Role ofWire(String s) {
        for (Role r : values()) if (r.wire.equalsIgnoreCase(s)) return r;
        throw new IllegalArgumentException("unknown role " + s);
    }
}
