package org.rollbook.emulator.oneroster;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * ClassLink patron single sign-on (reference §3.3, "OneClick"): the OAuth 2 authorization-code server of
 * {@code launchpad.classlink.com} and the user-info API of {@code nodeapi.classlink.com}, both served at the
 * emulator's root ({@link #launchpadUrl()} = {@link #nodeApiUrl()} = {@code http://HOST:PORT}). Thread-safe; may
 * be changed while the emulator runs.
 *
 * <p>Users are the roster's users, identified by {@code (TenantId, SourcedId)}: the emulator's roster is tenant
 * {@link #tenantId()}; a second, small tenant ({@link #otherTenant()}, SSO only, its roster is not served) reuses
 * the same generated sourcedIds for other people, so a test can check that a user of another tenant is refused
 * even when the SourcedId matches. ClassLink's numeric {@code UserId} is assigned by the emulator
 * ({@link #userId(long, String)}).
 */
public interface ClassLinkSso {

    /** Stands for {@code https://launchpad.classlink.com}: {@code http://HOST:PORT} (no trailing slash). */
    URI launchpadUrl();

    /** Stands for {@code https://nodeapi.classlink.com}: the same {@code http://HOST:PORT}. */
    URI nodeApiUrl();

    /** {@code <launchpad>/oauth2/v2/auth}. */
    URI authorizeUrl();

    /** {@code <launchpad>/oauth2/v2/token}. */
    URI tokenUrl();

    /** {@code <nodeapi>/v2/my/info}. */
    URI infoUrl();

    /** {@code <launchpad>/emulator/launchpad/launch?tenant=…&user=…}: a GET answers 302 to the app's first redirect
     *  URI with a fresh code and no state, as a click on the app in ClassLink LaunchPad (UNCONFIRMED, §3.3). */
    URI launchUrl(long tenantId, String sourcedId);

    /** The SSO app's client id (Partner Portal / Developer Console), distinct from the roster credentials. */
    String clientId();

    String clientSecret();

    /** Registers a redirect URI of the SSO app (exact match; the first one is used by LaunchPad launches). */
    ClassLinkSso addRedirectUri(String uri);

    boolean removeRedirectUri(String uri);

    List<String> redirectUris();

    /** Registers another SSO app, e.g. to test a code redeemed by the wrong client. */
    ClassLinkSso addClient(String clientId, String clientSecret, String... redirectUris);

    /** Authorization code lifetime (default 5 minutes, §3.3 [CL-DOC]). */
    ClassLinkSso codeLifetime(Duration lifetime);

    Duration codeLifetime();

    /** Access token lifetime (default 24 hours, §3.3 [CL-DOC]). */
    ClassLinkSso tokenLifetime(Duration lifetime);

    /** ClassLink's numeric {@code TenantId} of the emulator's roster tenant. */
    long tenantId();

    /** The tenant's name ({@code Tenant} in {@code /v2/my/info}): the district org's name. */
    String tenantName();

    /** {@code TenantId} of the second tenant. */
    long otherTenantId();

    /** The second tenant's users (a small generated district; add users with {@link District#addUser}). */
    District otherTenant();

    /** Whether the tenant has OneRoster enabled (default true); when off, {@code SourcedId} is {@code ""} (§3.3). */
    ClassLinkSso oneRosterEnabled(long tenantId, boolean enabled);

    /** The ClassLink {@code UserId} of a user (stable for generated sourcedIds). */
    long userId(long tenantId, String sourcedId);

    /** A one-time code of the SSO app for that user, as the authorize step would issue it; {@code redirectUri}
     *  (nullable) must then be repeated, if sent at all, at the token step. */
    String issueCode(long tenantId, String sourcedId, String redirectUri);
}
