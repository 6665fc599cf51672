/** The one-integration-at-a-time switch. */
@Export
@Version("1.0.0")
package org.rollbook.api.integration;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
