package org.rollbook.api.deploy;

import java.io.InputStream;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Connector bundles installed, updated and removed while the server runs (SPEC §6): by upload (what the
 * console and the JSON API call) and through the watched {@code deploy/} folder. Only bundles that declare
 * the {@code org.rollbook.api.roster.RosterConnector} service are accepted; the server's own bundles are not
 * replaceable here. A connector being replaced while a sync reads from it fails that run cleanly; the next
 * run uses the new one.
 */
@ProviderType
public interface ConnectorDeployer {

    /** The connector bundles in the framework, by symbolic name. */
    List<ConnectorBundle> list();

    /**
     * Installs the jar as a connector, or updates the installed bundle of the same symbolic name, and starts
     * it. Blocks until the bundle is started (or refused). The stream is read up to the size limit and not
     * closed.
     *
     * @param fileName the uploaded file's name, for messages (a path is reduced to its last segment)
     * @throws DeployException when the jar is refused or cannot be installed; nothing changed unless the
     *                         message says otherwise
     */
    DeployResult install(String fileName, InputStream jar);

    /**
     * Removes the connector bundle. An uploaded or deployed update of a built-in connector goes back to the
     * built-in version; a connector from the {@code deploy/} folder has its file deleted. Removing the
     * connector the sync engine uses is allowed (and logged): syncs then need another connector.
     *
     * @throws DeployException {@link DeployException.Reason#NOT_FOUND} for an unknown name,
     *                         {@link DeployException.Reason#REFUSED} for a bundle that is not a connector
     */
    DeployResult uninstall(String symbolicName);

    /** Jars in the {@code deploy/} folder that were refused, with the reason (also in {@code <name>.jar.error}). */
    List<RefusedJar> refused();
}
