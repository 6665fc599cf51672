package org.rollbook.emulator.oneroster;

import java.time.Duration;

/** Fault injection, thread-safe and changeable while the server runs. Scripted faults go before random ones. */
public interface Faults {

    /** Queues faults for the next authenticated roster requests, one per request, in order. */
    Faults next(Fault... faults);

    /** Each request (without a scripted fault) gets one of {@code kinds} with probability p (seeded, deterministic order). */
    Faults rate(double p, Fault... kinds);

    /** Removes queued and random faults and the heavy-page threshold. */
    Faults clear();

    /** Delay of {@link Fault#SLOW} (default 2 s). */
    Faults slowDelay(Duration d);

    /** {@code Retry-After} sent with 429 (default 1 s); null omits the header (ref §9.3). */
    Faults retryAfter(Duration d);

    /** Answers 502 whenever {@code limit} exceeds this (0 = off), like ClassLink on heavy pages (ref §2.8, P11). */
    Faults badGatewayAboveLimit(int limit);

    /** Scripted faults not yet consumed. */
    int pending();

    /** Faults injected so far. */
    long injected();
}
