/** The HTTP layer the roster connectors share. */
@Export
@Version("1.0.0")
package org.rollbook.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
