/** The patron record (SPEC §2): numbered fields, types, status codes, sites. */
@Export
@Version("1.0.0")
package org.rollbook.api.patron;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
