/** Helpers for component configuration. */
@Export
@Version("1.0.0")
package org.rollbook.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
