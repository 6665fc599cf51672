package org.rollbook.api.store;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * One batch of match keys to look up. Blank values are dropped on the way in, emails are trimmed and
 * lower-cased, so a blank can never match anything.
 */
public final class KeyLookup {
    private final String integration;
    private final Set<String> guids = new LinkedHashSet<>();
    private final Set<String> barcodes = new LinkedHashSet<>();
    private final Set<String> communityIds = new LinkedHashSet<>();
    private final Set<String> emails = new LinkedHashSet<>();

    public KeyLookup(String integration) {
        this.integration = integration;
    }

    public String integration() {
        return integration;
    }

    public KeyLookup guid(String value) {
        add(guids, value, false);
        return this;
    }

    public KeyLookup barcode(String value) {
        add(barcodes, value, false);
        return this;
    }

    public KeyLookup communityId(String value) {
        add(communityIds, value, false);
        return this;
    }

    public KeyLookup email(String value) {
        add(emails, value, true);
        return this;
    }

    public Set<String> guids() {
        return guids;
    }

    public Set<String> barcodes() {
        return barcodes;
    }

    public Set<String> communityIds() {
        return communityIds;
    }

    /** Trimmed and lower-cased. */
    public Set<String> emails() {
        return emails;
    }

    public boolean isEmpty() {
        return guids.isEmpty() && barcodes.isEmpty() && communityIds.isEmpty() && emails.isEmpty();
    }

    /** The form an email is compared in: trimmed, lower-case; null for blank. */
    public static String emailKey(String email) {
        return normalize(email, true);
    }

    /** The form any other key is compared in: trimmed; null for blank. */
    public static String key(String value) {
        return normalize(value, false);
    }

    private static void add(Collection<String> to, String value, boolean lowerCase) {
        String v = normalize(value, lowerCase);
        if (v != null) {
            to.add(v);
        }
    }

    private static String normalize(String value, boolean lowerCase) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.isEmpty()) {
            return null;
        }
        return lowerCase ? v.toLowerCase(Locale.ROOT) : v;
    }
}
