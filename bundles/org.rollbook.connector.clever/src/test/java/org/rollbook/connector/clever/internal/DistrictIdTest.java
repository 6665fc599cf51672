package org.rollbook.connector.clever.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DistrictIdTest {

    static final String ID = "5940d254cc70ab00017a1a87";

    @Test
    void theRawIdIsTakenAsItIs() {
        assertEquals(ID, DistrictId.parse("  " + ID.toUpperCase() + " "));
    }

    @Test
    void theInstantLoginLinkGivesItsDistrictId() {
        assertEquals(ID, DistrictId.parse("https://clever.com/oauth/instant-login?client_id=abc123&district_id=" + ID));
        assertEquals(ID, DistrictId.parse("https://clever.com/oauth/authorize?channel=clever-portal&client_id=x&confirmed=true&district_id="
                + ID + "&redirect_uri=https%3A%2F%2Flib.example%2Fsso&response_type=code"));
    }

    @Test
    void anythingElseIsRefusedWithWhatToPaste() {
        IllegalArgumentException noId = assertThrows(IllegalArgumentException.class,
                () -> DistrictId.parse("https://clever.com/in/springfield"));
        assertTrue(noId.getMessage().contains("Instant Login link"), noId.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DistrictId.parse("district 12"));
        assertThrows(IllegalArgumentException.class, () -> DistrictId.parse(" "));
        assertThrows(IllegalArgumentException.class, () -> DistrictId.parse("https://clever.com/x?district_id=nothex"));
    }
}
