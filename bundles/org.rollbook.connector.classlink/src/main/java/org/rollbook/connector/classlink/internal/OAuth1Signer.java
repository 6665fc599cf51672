package org.rollbook.connector.classlink.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OAuth 1.0a one-legged request signing as ClassLink's roster server expects it (reference §3.1): the four
 * parameters {@code oauth_consumer_key}, {@code oauth_signature_method=HMAC-SHA256}, {@code oauth_timestamp},
 * {@code oauth_nonce} (no token, no version), strict RFC 3986 encoding, key {@code enc(secret)&}.
 */
final class OAuth1Signer {

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String consumerKey;
    private final String consumerSecret;

    OAuth1Signer(String consumerKey, String consumerSecret) {
        this.consumerKey = consumerKey;
        this.consumerSecret = consumerSecret;
    }

    /** The Authorization header for a GET of this URI, with a fresh nonce, at this Unix time. */
    String header(URI uri, long epochSeconds) {
        String ts = Long.toString(epochSeconds);
        StringBuilder nonce = new StringBuilder();
        for (int i = 0; i < ts.length(); i++) {
            nonce.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
        }
        return header("GET", uri, ts, nonce.toString());
    }

    String header(String method, URI uri, String timestamp, String nonce) {
        String signature = signature(method, uri, timestamp, nonce);
        return "OAuth oauth_consumer_key=\"" + encode(consumerKey) + "\",oauth_signature_method=\"HMAC-SHA256\""
                + ",oauth_timestamp=\"" + timestamp + "\",oauth_nonce=\"" + encode(nonce) + "\",oauth_signature=\""
                + encode(signature) + "\"";
    }

    String signature(String method, URI uri, String timestamp, String nonce) {
        String base = baseString(method, uri, timestamp, nonce);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((encode(consumerSecret) + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    String baseString(String method, URI uri, String timestamp, String nonce) {
        List<String[]> params = new ArrayList<>();
        String raw = uri.getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                params.add(new String[] {encode(decode(k)), encode(decode(v))});
            }
        }
        params.add(new String[] {"oauth_consumer_key", encode(consumerKey)});
        params.add(new String[] {"oauth_nonce", encode(nonce)});
        params.add(new String[] {"oauth_signature_method", "HMAC-SHA256"});
        params.add(new String[] {"oauth_timestamp", timestamp});
        params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder norm = new StringBuilder();
        for (String[] p : params) {
            if (norm.length() > 0) {
                norm.append('&');
            }
            norm.append(p[0]).append('=').append(p[1]);
        }
        return method.toUpperCase(Locale.ROOT) + "&" + encode(baseUrl(uri)) + "&" + encode(norm.toString());
    }

    /** Scheme and host in lower case, the port unless it is the default, the raw path; no query. */
    static String baseUrl(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port < 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
    }

    /** RFC 3986 percent-encoding: unreserved characters kept, everything else %XX in upper-case hex. */
    static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Percent-decoding ({@code +} is a space in form-encoded queries). */
    static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp) - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
