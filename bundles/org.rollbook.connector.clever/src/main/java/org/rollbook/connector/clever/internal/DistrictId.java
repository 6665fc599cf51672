package org.rollbook.connector.clever.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Clever district ID as an admin pastes it: the 24-hex id itself, or the Instant Login link (or any
 * Clever URL) that carries it in {@code district_id=}.
 */
final class DistrictId {

    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{24}");

    private DistrictId() {
    }

    static String parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the Clever district ID is missing");
        }
        String t = text.strip();
        if (OBJECT_ID.matcher(t.toLowerCase(Locale.ROOT)).matches()) {
            return t.toLowerCase(Locale.ROOT);
        }
        if (t.startsWith("http://") || t.startsWith("https://") || t.contains("district_id=")) {
            String query;
            try {
                query = t.contains("?") ? URI.create(t.replace(" ", "%20")).getRawQuery() : t;
            } catch (IllegalArgumentException e) {
                query = t.substring(t.indexOf('?') + 1);
            }
            if (query != null) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).equals("district_id")) {
                        String v = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8).strip().toLowerCase(Locale.ROOT);
                        if (OBJECT_ID.matcher(v).matches()) {
                            return v;
                        }
                        throw new IllegalArgumentException("the link's district_id '" + v + "' is not a Clever district ID (24 hex characters)");
                    }
                }
            }
            throw new IllegalArgumentException("that link has no district_id: paste the Instant Login link from the Clever "
                    + "dashboard (Settings → Instant Login Link) or the 24-character district ID");
        }
        throw new IllegalArgumentException("'" + t + "' is not a Clever district ID (24 hex characters) or an Instant Login link");
    }
}
