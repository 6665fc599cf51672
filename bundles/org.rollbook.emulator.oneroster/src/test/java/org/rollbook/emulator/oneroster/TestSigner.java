package org.rollbook.emulator.oneroster;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A small, independent test-side OAuth 1.0a signer (RFC 5849 or ClassLink's Java-library encoding). */
final class TestSigner {

    private TestSigner() {}

    static String rfc(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) sb.append(c);
            else sb.append(String.format("%%%02X", b & 0xff));
        }
        return sb.toString();
    }

    static String javaStyle(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"); }

    static String enc(String s, boolean java) { return java ? javaStyle(s) : rfc(s); }

    static String baseString(URI uri, List<String[]> oauth, boolean java) {
        List<String[]> all = new ArrayList<>();
        String q = uri.getRawQuery();
        if (q != null) for (String p : q.split("&")) {
            int i = p.indexOf('=');
            all.add(new String[] { URLDecoder.decode(p.substring(0, i), StandardCharsets.UTF_8),
                    URLDecoder.decode(p.substring(i + 1), StandardCharsets.UTF_8) });
        }
        all.addAll(oauth);
        String norm = all.stream().map(p -> new String[] { enc(p[0], java), enc(p[1], java) })
                .sorted((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]))
                .map(p -> p[0] + "=" + p[1]).collect(Collectors.joining("&"));
        String port = uri.getPort() == -1 || uri.getPort() == 80 ? "" : ":" + uri.getPort();
        String base = uri.getScheme().toLowerCase() + "://" + uri.getHost().toLowerCase() + port + uri.getRawPath();
        return "GET&" + enc(base, java) + "&" + enc(norm, java);
    }

    static String hmac(String secret, String text, boolean java) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec((enc(secret, java) + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Authorization header as ClassLink's libraries send it (four oauth params, no oauth_version). */
    static String header(URI uri, String key, String secret, long ts, String nonce, boolean java) throws Exception {
        List<String[]> oauth = List.of(new String[] { "oauth_consumer_key", key },
                new String[] { "oauth_signature_method", "HMAC-SHA256" }, new String[] { "oauth_timestamp", Long.toString(ts) },
                new String[] { "oauth_nonce", nonce });
        String sig = hmac(secret, baseString(uri, oauth, java), java);
        return "OAuth oauth_consumer_key=\"" + key + "\",oauth_signature_method=\"HMAC-SHA256\",oauth_timestamp=\"" + ts
                + "\",oauth_nonce=\"" + nonce + "\",oauth_signature=\"" + rfc(sig) + "\"";
    }
}
