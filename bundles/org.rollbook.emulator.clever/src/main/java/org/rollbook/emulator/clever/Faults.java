package org.rollbook.emulator.clever;

/**
 * Fault injection for {@code /v3.0} requests (not {@code /oauth}). Thread-safe; may be changed while the
 * emulator runs. Scripted faults are used first, in order, one per request; then the random rate applies.
 */
public interface Faults {

    /** Queues faults for the next API requests, one each, in order. */
    Faults next(Fault... faults);

    /** Each API request (after the scripted queue is empty) fails with probability {@code p}, with one of
     *  {@code kinds} picked at random (seeded by the emulator's seed). {@code p == 0} turns it off. */
    Faults rate(double p, Fault... kinds);

    /** Empties the queue and sets the rate to 0 (revoked tokens stay revoked). */
    Faults clear();

    /** Makes {@code token} invalid: every request with it gets 401 from now on. */
    Faults revokeToken(String token);

    /** Faults still queued. */
    int queued();

    /** Faults injected so far (scripted and random). */
    long injected();
}
