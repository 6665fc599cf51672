package org.rollbook.api.deploy;

/**
 * What an install or uninstall did.
 *
 * @param action          what happened to the bundle
 * @param symbolicName    its Bundle-SymbolicName
 * @param version         its version now (for {@link Action#UNINSTALLED}: the version removed)
 * @param previousVersion the version it replaced, or null for a new install or a removal
 * @param message         one sentence for the admin
 */
public record DeployResult(Action action, String symbolicName, String version, String previousVersion, String message) {

    public enum Action {
        /** A connector that was not there before. */
        INSTALLED,
        /** An installed connector of the same symbolic name was replaced. */
        UPDATED,
        /** An update of a built-in connector was removed: the built-in version is back. */
        REVERTED,
        /** The connector is gone. */
        UNINSTALLED
    }
}
