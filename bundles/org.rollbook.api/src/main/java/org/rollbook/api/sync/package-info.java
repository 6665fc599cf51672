/** Sync runs as the console and the command line see them: operations, their logs and counts. */
@Export
@Version("1.1.0")
package org.rollbook.api.sync;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
