/** The patron store service and the batch types the sync engine reads and writes with. */
@Export
@Version("1.3.0")
package org.rollbook.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
