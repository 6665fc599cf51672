package org.rollbook.connector.classlink.internal;

import java.net.URI;
import java.util.Locale;

/**
 * The roster server URL an admin pastes ({@code https://district-ca-v2.oneroster.com/ims/oneroster/v1p1}, with or
 * without a trailing slash or collection), checked and turned into the base of the configured version.
 */
final class RosterUrl {

    static final String MARK = "/ims/oneroster";

    private RosterUrl() {
    }

    static URI base(String pasted, boolean v1p2) {
        URI u = http(pasted, "roster server URL");
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        int at = path.toLowerCase(Locale.ROOT).indexOf(MARK);
        if (at < 0) {
            throw new IllegalArgumentException("the roster server URL '" + pasted.strip() + "' is not a OneRoster endpoint: "
                    + "it should end in /ims/oneroster/v1p1 (as the ClassLink Partner Portal shows it)");
        }
        String root = path.substring(0, at + MARK.length());
        String rest = path.substring(at + MARK.length());
        while (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (!rest.isEmpty() && !rest.matches("(?i)/(v1p1|rostering/v1p2|v1p2)(/[A-Za-z]+)?")) {
            throw new IllegalArgumentException("the roster server URL '" + pasted.strip() + "' should end in /ims/oneroster/v1p1");
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        return URI.create(scheme + "://" + u.getRawAuthority() + root + (v1p2 ? "/rostering/v1p2" : "/v1p1"));
    }

    static URI http(String url, String what) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("the " + what + " is missing");
        }
        try {
            URI u = URI.create(url.strip());
            String s = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(s.equals("http") || s.equals("https")) || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " '" + url.strip() + "' is not an http(s) URL");
        }
    }
}
