package org.rollbook.api.deploy;

/** How a connector bundle came into the server. */
public enum ConnectorSource {
    /** Shipped in the server jar. */
    BUILT_IN("built-in"),
    /** Uploaded through {@link ConnectorDeployer#install}; a copy is kept so it survives a restart. */
    UPLOAD("upload"),
    /** A jar in the watched {@code deploy/} folder. */
    DEPLOY_FOLDER("deploy folder");

    private final String label;

    ConnectorSource(String label) {
        this.label = label;
    }

    /** {@code built-in}, {@code upload} or {@code deploy folder}. */
    public String label() {
        return label;
    }
}
