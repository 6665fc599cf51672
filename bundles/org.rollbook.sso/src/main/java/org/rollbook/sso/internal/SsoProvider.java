package org.rollbook.sso.internal;

import java.net.URI;

/** One provider's authorization-code login. */
interface SsoProvider {

    /** "clever" or "classlink": the provider name the roster connector uses too. */
    String name();

    /** What the sign-in button says. */
    String label();

    /** Where to send the browser to sign in. */
    URI authorize(String state, String redirectUri, String account);

    /** Exchanges the code (with the same redirect URI) and reads who signed in. */
    Identity identify(String code, String redirectUri) throws Refusal;
}
