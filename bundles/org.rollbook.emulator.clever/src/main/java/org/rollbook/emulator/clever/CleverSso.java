package org.rollbook.emulator.clever;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Patron single sign-on ("Log in with Clever" / Instant Login, reference §3.2): the emulator's OAuth 2
 * authorization-code server. Thread-safe; may be changed while the emulator runs.
 *
 * <p>The app's client is the emulator's {@link CleverEmulator#clientId()} / {@link CleverEmulator#clientSecret()}
 * (a Clever app has one client for both district tokens and SSO). Redirect URIs must be registered (exact
 * string match, as in Clever's dashboard); the first one registered is the app's <em>primary</em> redirect URI,
 * used by portal / Instant Login launches, which carry no {@code state}.
 *
 * <p>Besides the emulator's district the emulator hosts a second, small district ({@link #otherDistrict()}) whose
 * users can log in too (their {@code /v3.0/me} names that district), so a test can check that "a user from
 * another district" is refused. The app's district token cannot read it.
 */
public interface CleverSso {

    /** {@code <base>/oauth/authorize}: the "Log in with Clever" URL (add response_type, client_id, redirect_uri, state). */
    URI authorizeUrl();

    /** {@code <base>/oauth/instant-login?client_id=…&district_id=<the emulator's district>} (reference §3.2, way 2). */
    URI instantLoginUrl();

    /** {@code <base>/emulator/portal/launch?user=<id>}: a GET answers 302 to the primary redirect URI with a fresh
     *  code and no state, as a click on the app's icon in the Clever Portal would. */
    URI portalLaunchUrl(String userId);

    /** Registers a redirect URI for the app's client (exact match; the first one is the primary). */
    CleverSso addRedirectUri(String uri);

    /** Unregisters a redirect URI of the app's client; returns whether it was registered. */
    boolean removeRedirectUri(String uri);

    /** The app's registered redirect URIs, primary first. */
    List<String> redirectUris();

    /** Registers another app (client) with its redirect URIs, e.g. to test a code redeemed by the wrong client. */
    CleverSso addClient(String clientId, String clientSecret, String... redirectUris);

    /** How long an authorization code can be redeemed (default 10 minutes; the real lifetime is UNCONFIRMED). */
    CleverSso codeLifetime(Duration lifetime);

    Duration codeLifetime();

    /** The second district (small, SSO only: its roster is not shared with the app's district token). */
    District otherDistrict();

    /**
     * A one-time code of the app's client for {@code userId} (a user of either district), as the authorize step
     * would issue it. {@code redirectUri} binds the code: the token request must send the same value; {@code null}
     * issues a code that is not bound to any redirect URI.
     */
    String issueCode(String userId, String redirectUri);
}
