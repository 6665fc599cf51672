/** Secrets at rest and the administrator's credentials. */
@Export
@Version("1.0.0")
package org.rollbook.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
