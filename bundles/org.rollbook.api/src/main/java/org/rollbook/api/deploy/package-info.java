/** Installing, updating and removing roster connector bundles while the server runs. */
@Export
@Version("1.0.0")
package org.rollbook.api.deploy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
