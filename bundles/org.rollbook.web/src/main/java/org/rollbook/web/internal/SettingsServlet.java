package org.rollbook.web.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.rollbook.api.config.CfgFile;
import org.rollbook.api.roster.ConnectionCheck;
import org.rollbook.api.roster.RosterConnector;
import org.rollbook.api.security.Secrets;
import org.rollbook.api.sync.SyncService;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The settings the console edits, kept in Configuration Admin:
 * {@code GET|PUT /api/settings/clever}, {@code …/classlink} (connector settings; secrets write-only:
 * GET shows only whether one is set, a PUT without it keeps it, and it is sealed with the key file
 * before it is stored) and {@code …/sync} (what to sync, mappings, Daily Operations). A PUT answers
 * 400 naming the wrong field, or the saved settings with the connector's check after it restarted.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/settings", "/api/settings/*"})
public class SettingsServlet extends JsonServlet {
    private static final long serialVersionUID = 1L;
    private static final Pattern CLEVER_ID = Pattern.compile("[0-9a-f]{24}");
    private static final long RESTART_WAIT_MS = 10_000;

    /** One group of settings: its configuration, the fields the API shows and takes, which are secret, which required. */
    record Section(String pid, String provider, List<String> fields, Set<String> secrets, Set<String> required, Set<String> urls) {
    }

    static final Map<String, Section> SECTIONS = Map.of(
            "clever", new Section("org.rollbook.connector.clever", "clever",
                    List.of("district", "clientId", "clientSecret", "districtToken", "apiUrl", "oauthUrl", "pageSize", "cursorMaxAgeDays"),
                    Set.of("clientSecret", "districtToken"), Set.of("district"), Set.of("apiUrl", "oauthUrl")),
            "classlink", new Section("org.rollbook.connector.classlink", "classlink",
                    List.of("tenantId", "rosterServerUrl", "clientId", "clientSecret", "tokenUrl", "consumerKey", "consumerSecret",
                            "version", "pageSize", "deltaOverlapMinutes", "homeroom"),
                    Set.of("clientSecret", "consumerSecret"), Set.of("tenantId", "rosterServerUrl"), Set.of("rosterServerUrl", "tokenUrl")),
            "sso", new Section("org.rollbook.sso", null,
                    List.of("publicUrl", "cleverEnabled", "cleverClientId", "cleverClientSecret", "cleverOauthUrl", "cleverApiUrl",
                            "classlinkAllow", "classlinkClientId", "classlinkClientSecret", "classlinkLaunchpadUrl", "classlinkInfoUrl"),
                    Set.of("cleverClientSecret", "classlinkClientSecret"), Set.of(),
                    Set.of("publicUrl", "cleverOauthUrl", "cleverApiUrl", "classlinkLaunchpadUrl", "classlinkInfoUrl")),
            "sync", new Section("org.rollbook.sync", null,
                    List.of("types", "studentPolicy", "teacherPolicy", "staffPolicy", "districtAdminPolicy", "barcode", "communityId",
                            "location", "erasable", "defaultSite", "holdCreates", "holdTransfers", "holdMinimum", "batchSize",
                            "barcodeStart", "barcodePrefix", "dailyTime", "fullSyncEveryDays", "retentionDays", "communityIdName"),
                    Set.of(), Set.of(), Set.of()));

    private final transient BundleContext context;
    private final transient ConfigurationAdmin cm;
    private final transient Secrets secrets;
    private final transient ServiceComponentRuntime scr;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile SyncService sync;

    @Activate
    public SettingsServlet(BundleContext context, @Reference ConfigurationAdmin cm, @Reference Secrets secrets,
            @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.cm = cm;
        this.secrets = secrets;
        this.scr = scr;
    }

    private static Section section(HttpServletRequest request) {
        String name = subPath(request);
        Section s = SECTIONS.get(name);
        if (s == null) {
            throw ApiException.notFound("no settings named '" + name + "': use " + String.join(", ", SECTIONS.keySet().stream().sorted().toList()));
        }
        return s;
    }

    @Override
    Reply get(HttpServletRequest request) {
        if (subPath(request).isEmpty()) {
            return Reply.ok(Map.of("items", SECTIONS.keySet().stream().sorted().toList()));
        }
        Section section = section(request);
        Map<String, Object> out = shown(section, properties(section.pid()));
        if (section.pid().equals("org.rollbook.sso")) {
            out.put("redirectUris", redirectUris(out.get("publicUrl"), request));
        }
        return Reply.ok(out);
    }

    @Override
    Reply put(HttpServletRequest request, JsonNode body) {
        Section section = section(request);
        Dictionary<String, Object> current = properties(section.pid());
        Hashtable<String, Object> next = new Hashtable<>();
        if (current != null) {
            for (Enumeration<String> k = current.keys(); k.hasMoreElements();) {
                String key = k.nextElement();
                next.put(key, current.get(key));
            }
        }
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) body::fields) {
            String field = e.getKey();
            if (!section.fields().contains(field)) {
                throw ApiException.badField(field, "'" + field + "' is not a setting here; settings: " + String.join(", ", section.fields()));
            }
            Object value = value(field, e.getValue());
            if (field.equals("types") && (value == null || value.toString().isBlank())) {
                throw ApiException.badField("types", "choose at least one record type to sync");
            }
            if (section.secrets().contains(field)) {
                if (value == null) {
                    continue; // write-only: absent or null keeps the stored one
                }
                String text = value.toString().strip();
                if (text.isEmpty()) {
                    next.remove(field);
                } else {
                    next.put(field, secrets.seal(text));
                }
            } else if (value == null || (value instanceof String t && t.isBlank())) {
                next.remove(field);
            } else {
                next.put(field, value);
            }
        }
        validate(section, next);
        boolean changed = save(section.pid(), current, next);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("settings", shown(section, next));
        if (section.provider() != null) {
            // unchanged settings restart nothing: check the running connector now
            out.put("check", changed ? checkAfterRestart(section, next) : check(section.provider()));
        }
        return Reply.ok(out);
    }

    /** What the admin registers as redirect URIs in the providers' app settings (see org.rollbook.sso). */
    static Map<String, String> redirectUris(Object publicUrl, HttpServletRequest request) {
        String base = publicUrl == null || publicUrl.toString().isBlank() ? request.getScheme() + "://" + request.getHeader("Host")
                : publicUrl.toString().strip();
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return Map.of("clever", base + "/sso/clever/callback", "classlink", base + "/sso/classlink/callback");
    }

    /**
     * Stores the settings where an admin would look for them: in the {@code etc/} file of the configuration
     * (comments kept, atomic rename) when File Install watches a folder, and in Configuration Admin at once
     * (with File Install's file name, so that its next scan of the file changes nothing). Returns whether
     * anything changed.
     */
    private boolean save(String pid, Dictionary<String, Object> current, Hashtable<String, Object> next) {
        try {
            String etc = context.getProperty("felix.fileinstall.dir");
            Path file = CfgFile.fileOf(pid, current == null ? null : current.get(CfgFile.FILENAME_PROPERTY), etc == null ? null : Path.of(etc));
            if (file != null) {
                Map<String, String> set = new LinkedHashMap<>();
                Set<String> remove = new java.util.HashSet<>();
                Dictionary<String, Object> old = current == null ? new Hashtable<>() : current;
                for (Enumeration<String> k = old.keys(); k.hasMoreElements();) {
                    String key = k.nextElement();
                    if (next.get(key) == null) {
                        remove.add(key);
                    }
                }
                for (Enumeration<String> k = next.keys(); k.hasMoreElements();) {
                    String key = k.nextElement();
                    if (!key.equals("service.pid") && !key.equals(CfgFile.FILENAME_PROPERTY)) {
                        set.put(key, next.get(key).toString());
                    }
                }
                CfgFile.update(file, set, remove, "Settings of " + pid + ", saved from the Rollbook console (edit freely: comments are kept).");
                next.put(CfgFile.FILENAME_PROPERTY, CfgFile.filenameOf(file));
            }
            return cm.getConfiguration(pid, "?").updateIfDifferent(next);
        } catch (IOException e) {
            throw new ApiException(500, "cannot save the settings: " + e.getMessage());
        }
    }

    private void validate(Section section, Dictionary<String, Object> props) {
        for (String r : section.required()) {
            if (props.get(r) == null || props.get(r).toString().isBlank()) {
                throw ApiException.badField(r, r + " is required");
            }
        }
        for (String u : section.urls()) {
            if (props.get(u) != null && !isHttpUrl(props.get(u).toString())) {
                throw ApiException.badField(u, u + " must be an http(s) URL, not '" + props.get(u) + "'");
            }
        }
        if (section.pid().equals("org.rollbook.sso")) {
            for (String p : List.of("clever", "classlink")) {
                String on = p.equals("clever") ? "cleverEnabled" : "classlinkAllow";
                if ("true".equalsIgnoreCase(String.valueOf(props.get(on)))
                        && (props.get(p + "ClientId") == null || props.get(p + "ClientSecret") == null)) {
                    throw ApiException.badField(props.get(p + "ClientId") == null ? p + "ClientId" : p + "ClientSecret",
                            "sign-in with " + (p.equals("clever") ? "Clever" : "ClassLink") + " needs the app's client ID and secret");
                }
            }
        } else if (section.provider() == null) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Enumeration<String> k = props.keys(); k.hasMoreElements();) {
                String key = k.nextElement();
                map.put(key, props.get(key));
            }
            try {
                require(sync, "the sync engine is not running; see /api/health").checkSettings(map);
            } catch (IllegalArgumentException e) {
                String field = section.fields().stream().filter(f -> e.getMessage() != null && e.getMessage().startsWith(f))
                        .findFirst().orElse(null);
                throw new ApiException(400, e.getMessage(), field);
            }
        } else if (section.provider().equals("clever")) {
            String d = props.get("district").toString().strip();
            if (!CLEVER_ID.matcher(d).matches() && !(isHttpUrl(d) && d.contains("district_id="))) {
                throw ApiException.badField("district", "the district is a 24-character Clever district ID (0-9, a-f) or the "
                        + "Instant Login link that contains district_id=…, not '" + d + "'");
            }
            boolean token = props.get("districtToken") != null;
            boolean client = props.get("clientId") != null && props.get("clientSecret") != null;
            if (!token && !client) {
                throw ApiException.badField(props.get("clientId") == null ? "clientId" : "clientSecret",
                        "enter the app's client ID and client secret (or a district token)");
            }
        } else if (section.provider().equals("classlink")) {
            boolean oauth2 = props.get("clientId") != null && props.get("clientSecret") != null;
            boolean oauth1 = props.get("consumerKey") != null && props.get("consumerSecret") != null;
            if (!oauth1 && !oauth2) {
                throw ApiException.badField(props.get("clientId") == null ? "clientId" : "clientSecret",
                        "enter the client ID and secret (or the OAuth 1 consumer key and secret)");
            }
        }
    }

    private static boolean isHttpUrl(String s) {
        try {
            URI u = URI.create(s.strip());
            return ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Object value(String field, JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        // Stored as text, as in an etc/*.cfg file; Declarative Services converts to each setting's type.
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isInt() || n.isLong() || n.isBoolean()) {
            return n.asText();
        }
        if (n.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode i : n) {
                if (!i.isTextual()) {
                    throw ApiException.badField(field, field + " must be a list of strings");
                }
                if (!i.asText().isBlank()) {
                    items.add(i.asText().strip());
                }
            }
            // lists as one line: record types by ',', per-type entries (student=…;teacher=…) by ';'
            return String.join(field.equals("types") ? "," : ";", items);
        }
        throw ApiException.badField(field, field + " must be a string, number, true/false or a list of strings");
    }

    private Dictionary<String, Object> properties(String pid) {
        try {
            Configuration[] c = cm.listConfigurations("(service.pid=" + pid + ")");
            return c == null ? null : c[0].getProperties();
        } catch (IOException | InvalidSyntaxException e) {
            throw new ApiException(500, "cannot read the settings: " + e.getMessage());
        }
    }

    private static Map<String, Object> shown(Section section, Dictionary<String, Object> props) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String f : section.fields()) {
            Object v = props == null ? null : props.get(f);
            if (section.secrets().contains(f)) {
                out.put(f, Map.of("set", v != null && !v.toString().isBlank()));
            } else if (v != null) {
                out.put(f, v);
            }
        }
        return out;
    }

    /** Waits until the connector runs with the saved settings (or failed to start with them) and checks it. */
    private Map<String, Object> checkAfterRestart(Section section, Dictionary<String, Object> saved) {
        long deadline = System.currentTimeMillis() + RESTART_WAIT_MS;
        String failure = null;
        while (System.currentTimeMillis() < deadline) {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                if (!List.of(d.configurationPid).contains(section.pid())) {
                    continue;
                }
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (!hasValues(c.properties, saved)) {
                        continue;
                    }
                    if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        failure = HealthServlet.rootCause(c.failure);
                    } else if (c.state == ComponentConfigurationDTO.ACTIVE || c.state == ComponentConfigurationDTO.SATISFIED) {
                        // SCR may show the new configuration a moment before the connector's service is back
                        Map<String, Object> checked = checkRunning(section.provider());
                        if (checked != null) {
                            return checked;
                        }
                    }
                }
            }
            if (failure != null) {
                return Map.of("ok", false, "message", "the " + section.provider() + " connector cannot start with these settings: " + failure);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Map.of("ok", false, "message", "saved, but the " + section.provider() + " connector has not started yet; see /api/health");
    }

    private static boolean hasValues(Map<String, Object> running, Dictionary<String, Object> saved) {
        for (Enumeration<String> k = saved.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            Object v = saved.get(key);
            Object r = running.get(key);
            if (v instanceof String[] a ? !(r instanceof String[] b && java.util.Arrays.equals(a, b)) : !Objects.equals(v, r)) {
                return false;
            }
        }
        return true;
    }

    private Map<String, Object> check(String provider) {
        Map<String, Object> checked = checkRunning(provider);
        return checked != null ? checked : Map.of("ok", false, "message", "the " + provider + " connector is not running");
    }

    /** The running connector's check; null when no connector of the provider is registered. */
    private Map<String, Object> checkRunning(String provider) {
        try {
            for (ServiceReference<RosterConnector> ref : context.getServiceReferences(RosterConnector.class,
                    "(" + RosterConnector.PROVIDER + "=" + provider + ")")) {
                RosterConnector c = context.getService(ref);
                if (c != null) {
                    try {
                        ConnectionCheck check = c.check();
                        return Map.of("ok", check.ok(), "message", check.message());
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }
}
