package org.rollbook.emulator.oneroster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.rollbook.emulator.oneroster.internal.OAuth1;
import org.rollbook.emulator.oneroster.internal.OAuth1.Encoding;

/** The worked example of the OneRoster reference §3.1, copied here (tests never read ../shared). */
class OAuth1SignatureTest {

    static final String URL = "https://example-ca-v2.oneroster.com/ims/oneroster/v1p1/users";
    static final String QUERY = "limit=100&offset=0&filter=dateLastModified%3E%272024-01-01T00%3A00%3A00.000Z%27%20AND%20status%3D%27active%27";
    static final String NORMALIZED = "filter=dateLastModified%3E%272024-01-01T00%3A00%3A00.000Z%27%20AND%20status%3D%27active%27&limit=100&oauth_consumer_key=ck_test&oauth_nonce=abcdef1234&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1700000000&offset=0";
    static final String BASE = "GET&https%3A%2F%2Fexample-ca-v2.oneroster.com%2Fims%2Foneroster%2Fv1p1%2Fusers&filter%3DdateLastModified%253E%25272024-01-01T00%253A00%253A00.000Z%2527%2520AND%2520status%253D%2527active%2527%26limit%3D100%26oauth_consumer_key%3Dck_test%26oauth_nonce%3Dabcdef1234%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000%26offset%3D0";
    static final String SIG = "qXagppuyayYyIbyLaFNEIKQuUTQXpL/h1kvboo3UzoA=";
    static final String HEADER = "OAuth oauth_consumer_key=\"ck_test\",oauth_signature_method=\"HMAC-SHA256\",oauth_timestamp=\"1700000000\",oauth_nonce=\"abcdef1234\",oauth_signature=\"qXagppuyayYyIbyLaFNEIKQuUTQXpL%2Fh1kvboo3UzoA%3D\"";
    static final String SIG_WITH_VERSION = "6LZvGjGc++mx2bDRZc2QLD/9EDBF+xH8lfILf4ZHhnI=";
    static final String TILDE_JAVA = "JakFV1Ta2D+9r8PALPe4ZG3+uglneaIXB5UDSRu9L6M=";
    static final String TILDE_RFC = "8qlaRhMgeopKnpfsHg3Z4kM3PoCUPruCDbanvpKyfXA=";

    static List<String[]> params(String query, boolean version) {
        List<String[]> p = new ArrayList<>(OAuth1.parseQuery(query));
        p.add(new String[] { "oauth_consumer_key", "ck_test" });
        p.add(new String[] { "oauth_nonce", "abcdef1234" });
        p.add(new String[] { "oauth_signature_method", "HMAC-SHA256" });
        p.add(new String[] { "oauth_timestamp", "1700000000" });
        if (version) p.add(new String[] { "oauth_version", "1.0" });
        return p;
    }

    @Test
    void workedExampleNormalizedBaseStringAndSignature() {
        assertEquals(NORMALIZED, OAuth1.normalize(params(QUERY, false), Encoding.RFC3986));
        assertEquals(BASE, OAuth1.baseString("GET", URL, params(QUERY, false), Encoding.RFC3986));
        assertEquals(SIG, OAuth1.sign("HMAC-SHA256", BASE, "cs_test", Encoding.RFC3986));
        assertEquals(SIG_WITH_VERSION, OAuth1.sign("HMAC-SHA256",
                OAuth1.baseString("GET", URL, params(QUERY, true), Encoding.RFC3986), "cs_test", Encoding.RFC3986));
    }

    @Test
    void bothEncodingsOfTheTildeExample() {
        String q = "filter=familyName~'smi'";
        assertEquals(TILDE_RFC, OAuth1.sign("HMAC-SHA256", OAuth1.baseString("GET", URL, params(q, false), Encoding.RFC3986), "cs_test", Encoding.RFC3986));
        assertEquals(TILDE_JAVA, OAuth1.sign("HMAC-SHA256", OAuth1.baseString("GET", URL, params(q, false), Encoding.JAVA_URLENCODER), "cs_test", Encoding.JAVA_URLENCODER));
    }

    @Test
    void testSideSignerReproducesTheVectors() throws Exception {
        URI uri = URI.create(URL + "?" + QUERY);
        assertEquals(HEADER, TestSigner.header(uri, "ck_test", "cs_test", 1700000000L, "abcdef1234", false));
        URI tilde = URI.create(URL + "?filter=familyName~%27smi%27");
        assertEquals(TestSigner.rfc(TILDE_JAVA), extractSig(TestSigner.header(tilde, "ck_test", "cs_test", 1700000000L, "abcdef1234", true)));
        assertEquals(TestSigner.rfc(TILDE_RFC), extractSig(TestSigner.header(tilde, "ck_test", "cs_test", 1700000000L, "abcdef1234", false)));
    }

    static String extractSig(String h) {
        int i = h.indexOf("oauth_signature=\"") + 17;
        return h.substring(i, h.indexOf('"', i));
    }

    @Test
    void verifierAcceptsTheWorkedExampleOnceWithinTheWindow() {
        OAuth1 v = new OAuth1("ck_test", "cs_test", 600, 300);
        assertNull(v.verify("GET", URL, QUERY, HEADER, 1700000000L + 60));
        assertEquals("nonce already used", v.verify("GET", URL, QUERY, HEADER, 1700000000L + 60));
        OAuth1 fresh = new OAuth1("ck_test", "cs_test", 600, 300);
        assertEquals("oauth_timestamp outside the window", fresh.verify("GET", URL, QUERY, HEADER, 1700000000L + 601));
        assertEquals("oauth_timestamp outside the window", fresh.verify("GET", URL, QUERY, HEADER, 1700000000L - 301));
        assertEquals("invalid signature", fresh.verify("GET", URL, QUERY.replace("limit=100", "limit=101"), HEADER, 1700000000L));
        assertEquals("unknown consumer key", new OAuth1("other", "cs_test", 600, 300).verify("GET", URL, QUERY, HEADER, 1700000000L));
    }

    @Test
    void verifierAcceptsBothTildeEncodingsAndOauthVersion() {
        String q = "filter=familyName~%27smi%27";
        for (String sig : new String[] { TILDE_JAVA, TILDE_RFC }) {
            OAuth1 v = new OAuth1("ck_test", "cs_test", 600, 300);
            String h = HEADER.replace(OAuth1.encode(SIG, Encoding.RFC3986), OAuth1.encode(sig, Encoding.RFC3986));
            assertNull(v.verify("GET", URL, q, h, 1700000000L), sig);
        }
        OAuth1 v = new OAuth1("ck_test", "cs_test", 600, 300);
        String h = HEADER.replace(OAuth1.encode(SIG, Encoding.RFC3986), OAuth1.encode(SIG_WITH_VERSION, Encoding.RFC3986))
                .replace("oauth_nonce", "oauth_version=\"1.0\",oauth_nonce");
        assertNull(v.verify("GET", URL, QUERY, h, 1700000000L));
        assertNotNull(new OAuth1("ck_test", "cs_test", 600, 300).verify("GET", URL, QUERY, null, 1700000000L));
    }
}
