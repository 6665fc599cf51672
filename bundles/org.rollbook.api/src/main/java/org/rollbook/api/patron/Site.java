package org.rollbook.api.patron;

/**
 * A library site. Its {@code code} is what field 1050 holds; {@code providerId} is the roster
 * provider's school id once the site is mapped (null otherwise). Only one provider's ids are held.
 */
public record Site(String code, String name, String providerId) {

    public Site {
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("a site needs a code");
        }
        code = code.trim();
        name = name == null || name.isBlank() ? code : name.trim();
        providerId = providerId == null || providerId.isBlank() ? null : providerId.trim();
    }

    public Site withProviderId(String id) {
        return new Site(code, name, id);
    }
}
