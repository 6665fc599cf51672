package org.rollbook.emulator.oneroster;

/** One {@code userIds[]} entry, e.g. {@code {"type":"FED","identifier":"10000042"}}. */
public record UserId(String type, String identifier) {}
