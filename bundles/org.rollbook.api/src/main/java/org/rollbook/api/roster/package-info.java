/** Provider-neutral roster records and the connector service that produces them. */
@Export
@Version("1.0.0")
package org.rollbook.api.roster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
