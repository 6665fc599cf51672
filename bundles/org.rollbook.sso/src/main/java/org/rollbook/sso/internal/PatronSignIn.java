package org.rollbook.sso.internal;

import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.rollbook.api.integration.IntegrationSwitch;
import org.rollbook.api.patron.Patron;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronStatus;
import org.rollbook.api.security.Secrets;
import org.rollbook.api.store.KeyLookup;
import org.rollbook.api.store.PatronKeys;
import org.rollbook.api.store.PatronStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Patron sign-in with Clever or ClassLink (SPEC §8).
 * <ul>
 * <li>{@code GET /sso/} — the sign-in page: one button per provider that is turned on</li>
 * <li>{@code GET /sso/{provider}/start} — a new sign-in: {@code state} bound to this browser by a cookie, then the provider</li>
 * <li>{@code GET /sso/{provider}/callback?code&state} — back from the provider: the state must be this browser's
 * (no state at all is the provider-initiated entry: Clever portal / Instant Login, ClassLink LaunchPad), the code is
 * exchanged once with the same redirect URI, and the identity is resolved to an active rostered patron by GUID within
 * the enabled integration's district or tenant — otherwise a page says why not</li>
 * <li>{@code GET /sso/me} — the signed-in patron's record; {@code POST /sso/signout}</li>
 * <li>{@code GET /api/me} — the same record as JSON (401 when not signed in)</li>
 * </ul>
 */
@Component(service = Servlet.class, configurationPid = PatronSignIn.PID)
@Designate(ocd = SsoConfiguration.class)
@HttpWhiteboardServletPattern({"/sso", "/sso/*", "/api/me"})
public class PatronSignIn extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String PID = "org.rollbook.sso";
    private static final Logger LOG = LoggerFactory.getLogger(PatronSignIn.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<PatronField> SHOWN = List.of(PatronField.FIRST_NAME, PatronField.LAST_NAME, PatronField.BARCODE,
            PatronField.EMAIL, PatronField.SITE, PatronField.LEVEL, PatronField.LOCATION, PatronField.USERNAME);

    private final transient SsoConfiguration config;
    private final transient PatronStore store;
    private final transient Map<String, SsoProvider> providers = new LinkedHashMap<>();
    private final transient PatronSessions sessions;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile IntegrationSwitch integrations;

    @Activate
    public PatronSignIn(SsoConfiguration config, @Reference PatronStore store, @Reference Secrets secrets) {
        this.config = config;
        this.store = store;
        this.sessions = new PatronSessions(Clock.systemUTC(), Duration.ofMinutes(Math.max(1, config.idleMinutes())));
        OAuthClient http = new OAuthClient();
        if (config.cleverEnabled()) {
            providers.put("clever", new CleverSso(http, config.cleverClientId().strip(), secrets.open(config.cleverClientSecret().strip()),
                    host(config.cleverOauthUrl()), host(config.cleverApiUrl())));
        }
        if (config.classlinkAllow()) {
            providers.put("classlink", new ClassLinkSso(http, config.classlinkClientId().strip(),
                    secrets.open(config.classlinkClientSecret().strip()), host(config.classlinkLaunchpadUrl()), host(config.classlinkInfoUrl())));
        }
    }

    private static URI host(String url) {
        URI u = URI.create(url.strip());
        if (u.getScheme() == null || u.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' is not an http(s) URL");
        }
        return URI.create(u.getScheme() + "://" + u.getRawAuthority() + "/");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String method = request.getMethod();
        try {
            if (path.equals("/api/me")) {
                me(request, response);
            } else if (path.equals("/sso") || path.equals("/sso/")) {
                choose(request, response);
            } else if (path.equals("/sso/style.css")) {
                response.setContentType("text/css");
                response.setCharacterEncoding("UTF-8");
                response.getWriter().write(Html.CSS);
            } else if (path.equals("/sso/me")) {
                mePage(request, response);
            } else if (path.equals("/sso/signout") && method.equals("POST")) {
                signOut(request, response);
            } else if (path.matches("/sso/[a-z]+/start")) {
                start(provider(path), request, response);
            } else if (path.matches("/sso/[a-z]+/callback")) {
                callback(provider(path), request, response);
            } else {
                throw new Refusal(404, "There is no page here. Start at the library's sign-in page.");
            }
        } catch (Refusal r) {
            page(response, r.status, "You cannot sign in", "<p class=\"refusal\" id=\"refusal\">" + Html.escape(r.getMessage())
                    + "</p><a class=\"button\" href=\"/sso/\">Back to sign-in</a>");
        }
    }

    private SsoProvider provider(String path) throws Refusal {
        String name = path.split("/")[2];
        SsoProvider p = providers.get(name);
        if (p == null) {
            throw new Refusal(404, "Signing in with " + (name.equals("classlink") ? "ClassLink" : name.equals("clever") ? "Clever" : "'" + name + "'")
                    + " is not turned on for this library.");
        }
        return p;
    }

    /** The redirect URI registered with the provider: the public URL (or this request's origin) + /sso/{provider}/callback. */
    String redirectUri(SsoProvider p, HttpServletRequest request) {
        String base = config.publicUrl().isBlank() ? request.getScheme() + "://" + request.getHeader("Host") : config.publicUrl().strip();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/sso/" + p.name() + "/callback";
    }

    private void choose(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (sessions.find(cookie(request, PatronSessions.SESSION_COOKIE)).isPresent()) {
            response.sendRedirect("/sso/me");
            return;
        }
        StringBuilder b = new StringBuilder();
        if (providers.isEmpty()) {
            b.append("<p>Signing in is not turned on for this library yet.</p>");
        }
        for (SsoProvider p : providers.values()) {
            b.append("<a class=\"button\" id=\"signin-").append(p.name()).append("\" href=\"/sso/").append(p.name())
                    .append("/start\">Sign in with ").append(Html.escape(p.label())).append("</a>");
        }
        page(response, 200, "Sign in to the library", b.toString());
    }

    private void start(SsoProvider p, HttpServletRequest request, HttpServletResponse response) throws IOException, Refusal {
        String account = integration(p).map(i -> i.account()).orElse(null);
        String state = sessions.begin(p.name());
        // Lax, not Strict: the provider sends the browser back with a top-level cross-site navigation.
        setCookie(response, request, PatronSessions.STATE_COOKIE, state, "/sso/" + p.name() + "/callback", "Lax", 600);
        response.sendRedirect(p.authorize(state, redirectUri(p, request), account).toString());
    }

    private void callback(SsoProvider p, HttpServletRequest request, HttpServletResponse response) throws IOException, Refusal {
        String error = request.getParameter("error");
        if (error != null) {
            throw new Refusal(403, "The sign-in was not completed at " + p.label() + " (" + error + ").");
        }
        String code = request.getParameter("code");
        if (code == null || code.isBlank()) {
            throw new Refusal(400, p.label() + " sent no sign-in code. Please start again.");
        }
        String state = request.getParameter("state");
        if (state != null) {
            String cookieState = cookie(request, PatronSessions.STATE_COOKIE);
            setCookie(response, request, PatronSessions.STATE_COOKIE, "", "/sso/" + p.name() + "/callback", "Lax", 0);
            if (!sessions.finish(p.name(), state, cookieState)) {
                throw new Refusal(400, "This sign-in did not start in this browser, or it took too long. Please start again.");
            }
        } // no state: the provider started the sign-in (portal, Instant Login, LaunchPad)
        Optional<PatronSessions.Session> repeated = sessions.fromRepeatedCode(code, cookie(request, PatronSessions.SESSION_COOKIE));
        if (repeated.isPresent()) {
            response.sendRedirect("/sso/me");
            return;
        }
        Identity who = p.identify(code, redirectUri(p, request));
        IntegrationSwitch.Connector live = integration(p).orElseThrow(() -> new Refusal(403,
                "The library does not use " + p.label() + " at the moment, so you cannot sign in with it."));
        if (!live.account().equals(who.account())) {
            LOG.info("Refused a {} sign-in from another district or tenant ({})", p.name(), who.account());
            throw new Refusal(403, "You signed in with a " + p.label() + " account from another district. This library only "
                    + "knows the patrons of its own district.");
        }
        Patron patron = patron(live.integration(), who.userId()).orElseThrow(() -> new Refusal(403,
                "The library has no patron record for your " + p.label() + " account. If you are new, it will appear after the "
                        + "next roster sync; otherwise please ask the library."));
        if (patron.status() != PatronStatus.ACTIVE) {
            throw new Refusal(403, "Your library account is not active (" + patron.status().name().toLowerCase(java.util.Locale.ROOT)
                    + "). Please ask the library.");
        }
        PatronSessions.Session s = sessions.open(patron.id(), p.name(), code);
        setCookie(response, request, PatronSessions.SESSION_COOKIE, s.id(), "/", "Lax", -1);
        response.sendRedirect("/sso/me");
    }

    /** The enabled integration when it is this provider's: the selected one, or the only connector when none was selected. */
    private Optional<IntegrationSwitch.Connector> integration(SsoProvider p) {
        IntegrationSwitch s = integrations;
        if (s == null) {
            return Optional.empty();
        }
        Optional<String> selected = s.selected();
        List<IntegrationSwitch.Connector> all = s.connectors();
        if (selected.isPresent() ? !selected.get().equals(p.name()) : all.size() != 1) {
            return Optional.empty();
        }
        return all.stream().filter(c -> c.provider().equals(p.name())).findFirst();
    }

    private Optional<Patron> patron(String integration, String guid) {
        for (PatronKeys k : store.findByKeys(new KeyLookup(integration).guid(guid))) {
            if (integration.equals(k.integration()) && guid.equals(k.guid())) {
                return store.patron(k.id());
            }
        }
        return Optional.empty();
    }

    private Optional<Patron> signedIn(HttpServletRequest request) {
        return sessions.find(cookie(request, PatronSessions.SESSION_COOKIE)).flatMap(s -> store.patron(s.patronId()));
    }

    private void me(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Patron> p = signedIn(request);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        if (p.isEmpty()) {
            response.setStatus(401);
            JSON.writeValue(response.getOutputStream(), Map.of("error", "no patron is signed in: start at /sso/"));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", p.get().id());
        out.put("type", p.get().type().code());
        out.put("status", p.get().status().name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Object> fields = new LinkedHashMap<>();
        for (PatronField f : PatronField.values()) {
            if (p.get().get(f) != null && f != PatronField.STATUS) {
                fields.put(f.key(), p.get().get(f));
            }
        }
        out.put("fields", fields);
        JSON.writeValue(response.getOutputStream(), out);
    }

    private void mePage(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<PatronSessions.Session> s = sessions.find(cookie(request, PatronSessions.SESSION_COOKIE));
        Optional<Patron> p = s.flatMap(x -> store.patron(x.patronId()));
        if (p.isEmpty()) {
            response.sendRedirect("/sso/");
            return;
        }
        StringBuilder b = new StringBuilder("<dl id=\"patron\">");
        List<String> rows = new ArrayList<>();
        rows.add(row("type", "Patron type", p.get().type().code()));
        for (PatronField f : SHOWN) {
            if (p.get().get(f) != null) {
                rows.add(row(f.key(), f.label(), p.get().get(f)));
            }
        }
        rows.forEach(b::append);
        b.append("</dl><form method=\"post\" action=\"/sso/signout\"><input type=\"hidden\" name=\"csrf\" value=\"")
                .append(Html.escape(s.get().csrf())).append("\"><button class=\"secondary\" id=\"signout\" type=\"submit\">Sign out</button></form>");
        String name = (p.get().get(PatronField.FIRST_NAME) == null ? "" : p.get().get(PatronField.FIRST_NAME) + " ")
                + (p.get().get(PatronField.LAST_NAME) == null ? "" : p.get().get(PatronField.LAST_NAME));
        page(response, 200, "Welcome, " + name.strip(), b.toString());
    }

    private static String row(String key, String label, String value) {
        return "<dt>" + Html.escape(label) + "</dt><dd data-field=\"" + Html.escape(key) + "\">" + Html.escape(value) + "</dd>";
    }

    private void signOut(HttpServletRequest request, HttpServletResponse response) throws IOException, Refusal {
        String id = cookie(request, PatronSessions.SESSION_COOKIE);
        Optional<PatronSessions.Session> s = sessions.find(id);
        String token = request.getParameter("csrf");
        if (s.isPresent()) {
            if (token == null || !MessageDigest.isEqual(token.getBytes(), s.get().csrf().getBytes())) {
                throw new Refusal(403, "Sign-out must come from the library's own page.");
            }
            sessions.close(id);
        }
        setCookie(response, request, PatronSessions.SESSION_COOKIE, "", "/", "Lax", 0);
        response.sendRedirect("/sso/");
    }

    private static void page(HttpServletResponse response, int status, String title, String body) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(Html.page(title, body));
    }

    private static String cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (c.getName().equals(name)) {
                    return c.getValue().isEmpty() ? null : c.getValue();
                }
            }
        }
        return null;
    }

    private static void setCookie(HttpServletResponse response, HttpServletRequest request, String name, String value, String path,
            String sameSite, int maxAge) {
        response.addHeader("Set-Cookie", name + "=" + value + "; Path=" + path + "; HttpOnly; SameSite=" + sameSite
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "") + (request.isSecure() ? "; Secure" : ""));
    }
}
