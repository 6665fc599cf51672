package org.rollbook.sync.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.patron.Site;
import org.rollbook.api.roster.FetchReport;
import org.rollbook.api.roster.FetchRequest;
import org.rollbook.api.roster.RosterConnector;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterSink;
import org.rollbook.api.roster.RosterState;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.SyncRequest;
import org.rollbook.store.derby.internal.DerbyPatronStore;

/**
 * The service as DS drives it while a connector bundle is updated: the replacement binds before the old
 * service unbinds. A run reading from the old one fails and names it; the next run uses the new one.
 */
class ConnectorSwapTest {

    @TempDir
    Path dir;

    DerbyPatronStore store;
    SyncServiceImpl service;

    /** A service reference as the framework hands it out: its bundle is null once the service is unregistered. */
    static final class Registration {
        final AtomicBoolean registered = new AtomicBoolean(true);
        final ServiceReference<RosterConnector> reference;

        @SuppressWarnings("unchecked")
        Registration(String bsn, String version) {
            Bundle bundle = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getSymbolicName" -> bsn;
                        case "getVersion" -> Version.parseVersion(version);
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            reference = (ServiceReference<RosterConnector>) Proxy.newProxyInstance(ServiceReference.class.getClassLoader(),
                    new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getBundle" -> registered.get() ? bundle : null;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    @BeforeEach
    void open() throws Exception {
        store = DerbyPatronStore.open(dir.resolve("data"), 1000);
        store.saveSite(new Site("MAIN", "Main", "sch"));
        service = new SyncServiceImpl(SyncServiceTest.config(SyncConfiguration.class, Map.of()), store, store);
    }

    @AfterEach
    void close() throws Exception {
        service.deactivate();
        store.close();
    }

    Operation await(Operation op) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            Operation now = service.operation(op.id()).orElseThrow();
            if (now.status().finished() || now.status() == OperationStatus.HELD) {
                return now;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not finished: " + service.operation(op.id()));
    }

    /** A district of 30 students whose fetch signals it started, then waits at a gate. */
    static final class Gated extends org.rollbook.sync.internal.engine.TestConnector {
        final CountDownLatch reading = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);

        Gated() {
            super("d9");
        }

        @Override
        public FetchReport fetch(FetchRequest request, RosterSink sink) {
            reading.countDown();
            try {
                open.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 30; i++) {
                if (sink.cancelled()) {
                    return FetchReport.incomplete("cancelled", null, i);
                }
                sink.accept(new RosterRecord("s" + i, PatronType.STUDENT, RosterState.ACTIVE,
                        Map.of("name.first", "Kid", "name.last", "No" + i, "roles.student.school", "sch")));
            }
            return FetchReport.complete("c1", 30);
        }
    }

    @Test
    void aRunReadingFromAnUpdatedConnectorFailsAndTheNextUsesTheNewVersion() throws Exception {
        Gated old = new Gated();
        Registration v1 = new Registration("org.rollbook.connector.clever", "0.1.0");
        service.bindConnector(old, v1.reference);
        Operation first = service.start(SyncRequest.full(false));
        assertTrue(old.reading.await(30, TimeUnit.SECONDS), "the run is reading the roster");

        // bundle.update(): the old service is unregistered (DS may bind the new one first, greedy), then unbound
        Gated replacement = new Gated();
        replacement.open.countDown();
        Registration v2 = new Registration("org.rollbook.connector.clever", "0.1.1");
        v1.registered.set(false);
        service.bindConnector(replacement, v2.reference);
        service.unbindConnector(old, v1.reference);
        old.open.countDown();

        Operation failed = await(first);
        assertEquals(OperationStatus.FAILED, failed.status(), failed.message());
        assertTrue(failed.message().startsWith("the connector org.rollbook.connector.clever 0.1.0 went away"), failed.message());
        assertEquals(0, store.status().patrons(), "nothing was written");

        Operation next = await(service.start(SyncRequest.full(false)));
        assertEquals(OperationStatus.COMPLETED, next.status(), next.message());
        assertTrue(next.message().endsWith(" Connector: org.rollbook.connector.clever 0.1.1."), next.message());
        assertEquals(30, store.status().patrons());
    }

    @Test
    void unbindingAnotherConnectorKeepsTheLiveOne() throws Exception {
        Gated live = new Gated();
        live.open.countDown();
        Registration v1 = new Registration("org.rollbook.connector.clever", "0.1.0");
        service.bindConnector(live, v1.reference);
        service.unbindConnector(new Gated(), new Registration("org.example.other", "1.0.0").reference);
        Operation op = await(service.start(SyncRequest.full(false)));
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertTrue(op.message().endsWith(" Connector: org.rollbook.connector.clever 0.1.0."), op.message());
    }
}
