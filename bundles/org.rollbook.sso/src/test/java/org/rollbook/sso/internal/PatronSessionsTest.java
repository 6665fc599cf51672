package org.rollbook.sso.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class PatronSessionsTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-25T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final PatronSessions sessions = new PatronSessions(clock, Duration.ofMinutes(30));

    @Test
    void aStateIsBoundToTheBrowserTheProviderAndUsedOnce() {
        String state = sessions.begin("clever");
        assertFalse(sessions.finish("clever", state, "another browser's state"));
        assertFalse(sessions.finish("clever", state, null));
        assertFalse(sessions.finish("classlink", state, state), "another provider's callback");
        String again = sessions.begin("clever");
        assertTrue(sessions.finish("clever", again, again));
        assertFalse(sessions.finish("clever", again, again), "used once");
    }

    @Test
    void aStateExpiresAfterTenMinutes() {
        String state = sessions.begin("classlink");
        now.set(now.get().plus(Duration.ofMinutes(11)));
        assertFalse(sessions.finish("classlink", state, state));
    }

    @Test
    void aRepeatedCodeLeadsThisBrowserBackToItsSessionAndNobodyElse() {
        PatronSessions.Session s = sessions.open(42, "clever", "code-1");
        assertEquals(42, sessions.fromRepeatedCode("code-1", s.id()).orElseThrow().patronId());
        assertTrue(sessions.fromRepeatedCode("code-1", null).isEmpty());
        assertTrue(sessions.fromRepeatedCode("code-1", "someone-else").isEmpty());
        assertTrue(sessions.fromRepeatedCode("code-2", s.id()).isEmpty());
    }

    @Test
    void sessionsExpireWhenIdleAndOnSignOut() {
        PatronSessions.Session s = sessions.open(7, "clever", "c");
        now.set(now.get().plus(Duration.ofMinutes(20)));
        assertTrue(sessions.find(s.id()).isPresent());
        now.set(now.get().plus(Duration.ofMinutes(31)));
        assertTrue(sessions.find(s.id()).isEmpty());
        PatronSessions.Session t = sessions.open(8, "clever", "d");
        sessions.close(t.id());
        assertTrue(sessions.find(t.id()).isEmpty());
        assertTrue(sessions.find(null).isEmpty());
    }

    @Test
    void pagesEscapeRosterText() {
        assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;", Html.escape("<script>alert('x')</script> & \""));
        assertTrue(Html.page("<b>", "").contains("<h1>&lt;b&gt;</h1>"));
    }
}
