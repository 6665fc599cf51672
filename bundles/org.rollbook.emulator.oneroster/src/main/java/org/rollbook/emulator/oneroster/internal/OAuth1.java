package org.rollbook.emulator.oneroster.internal;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-legged OAuth 1.0a verification as ClassLink's libraries sign (ref §3.1): HMAC-SHA256 (and HMAC-SHA1), four
 * or five oauth params, strict RFC 5849 encoding or the tolerated variants (Java URLEncoder style, Python quote style).
 */
public final class OAuth1 {

    public enum Encoding { RFC3986, JAVA_URLENCODER, PYTHON_QUOTE }

    /** Percent-encodes per the variant. */
    public static String encode(String s, Encoding e) {
        switch (e) {
            case JAVA_URLENCODER:
                return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
            default: {
                StringBuilder sb = new StringBuilder();
                for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                    int c = b & 0xff;
                    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                            || c == '_' || c == '~' || (e == Encoding.PYTHON_QUOTE && c == '/')) sb.append((char) c);
                    else sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
                }
                return sb.toString();
            }
        }
    }

    /** Decodes a query component ({@code +} is a space). */
    public static String decode(String s) { return URLDecoder.decode(s, StandardCharsets.UTF_8); }

    /** Query parameters, percent-decoded, in order. */
    public static List<String[]> parseQuery(String rawQuery) {
        List<String[]> out = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) return out;
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq), v = eq < 0 ? "" : part.substring(eq + 1);
            out.add(new String[] { decode(k), decode(v) });
        }
        return out;
    }

    /** Normalized parameter string (step 3). */
    public static String normalize(List<String[]> params, Encoding e) {
        List<String[]> enc = new ArrayList<>();
        for (String[] p : params) enc.add(new String[] { encode(p[0], e), encode(p[1], e) });
        enc.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : enc) {
            if (sb.length() > 0) sb.append('&');
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /** Signature base string (step 4). */
    public static String baseString(String method, String baseUrl, List<String[]> params, Encoding e) {
        return method.toUpperCase(Locale.ROOT) + "&" + encode(baseUrl, e) + "&" + encode(normalize(params, e), e);
    }

    public static String sign(String method, String baseString, String consumerSecret, Encoding e) {
        String alg = method.equalsIgnoreCase("HMAC-SHA1") ? "HmacSHA1" : "HmacSHA256";
        try {
            Mac mac = Mac.getInstance(alg);
            mac.init(new SecretKeySpec((encode(consumerSecret, e) + "&").getBytes(StandardCharsets.UTF_8), alg));
            return Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Parses {@code OAuth k="v", k2="v2"}; values are percent-decoded. Null if not an OAuth header. */
    public static Map<String, String> parseHeader(String header) {
        if (header == null || !header.regionMatches(true, 0, "OAuth ", 0, 6)) return null;
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : header.substring(6).split(",")) {
            part = part.trim();
            int eq = part.indexOf('=');
            if (eq < 0) continue;
            String k = part.substring(0, eq).trim(), v = part.substring(eq + 1).trim();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
            m.put(decode(k), decode(v));
        }
        return m;
    }

    // ------------------------------------------------------------------ verifier

    private final String consumerKey, consumerSecret;
    private final long pastSeconds, futureSeconds;
    private final Map<String, Long> nonces = new ConcurrentHashMap<>();

    public OAuth1(String consumerKey, String consumerSecret, long pastSeconds, long futureSeconds) {
        this.consumerKey = consumerKey;
        this.consumerSecret = consumerSecret;
        this.pastSeconds = pastSeconds;
        this.futureSeconds = futureSeconds;
    }

    /** Null when the request is authentic, else the reason. */
    public String verify(String method, String baseUrl, String rawQuery, String authorization, long nowSeconds) {
        Map<String, String> h = parseHeader(authorization);
        if (h == null) return "missing OAuth Authorization header";
        String sig = h.get("oauth_signature");
        String sm = h.getOrDefault("oauth_signature_method", "");
        String ts = h.get("oauth_timestamp"), nonce = h.get("oauth_nonce"), key = h.get("oauth_consumer_key");
        if (sig == null || ts == null || nonce == null || key == null) return "missing oauth parameter";
        if (!sm.equals("HMAC-SHA256") && !sm.equals("HMAC-SHA1")) return "unsupported oauth_signature_method " + sm;
        String ver = h.get("oauth_version");
        if (ver != null && !ver.equals("1.0")) return "unsupported oauth_version";
        if (!MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), consumerKey.getBytes(StandardCharsets.UTF_8)))
            return "unknown consumer key";
        long t;
        try { t = Long.parseLong(ts); } catch (NumberFormatException e) { return "bad oauth_timestamp"; }
        if (t < nowSeconds - pastSeconds || t > nowSeconds + futureSeconds) return "oauth_timestamp outside the window";
        List<String[]> params = parseQuery(rawQuery);
        for (Map.Entry<String, String> e : h.entrySet())
            if (e.getKey().startsWith("oauth_") && !e.getKey().equals("oauth_signature")) params.add(new String[] { e.getKey(), e.getValue() });
        boolean ok = false;
        for (Encoding e : Encoding.values()) {
            String expected = sign(sm, baseString(method, baseUrl, params, e), consumerSecret, e);
            if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sig.getBytes(StandardCharsets.UTF_8))) { ok = true; break; }
        }
        if (!ok) return "invalid signature";
        String nk = key + "|" + ts + "|" + nonce;
        if (nonces.putIfAbsent(nk, t) != null) return "nonce already used";
        if (nonces.size() > 10_000) {
            for (Iterator<Map.Entry<String, Long>> it = nonces.entrySet().iterator(); it.hasNext();)
                if (it.next().getValue() < nowSeconds - pastSeconds) it.remove();
        }
        return null;
    }
}
