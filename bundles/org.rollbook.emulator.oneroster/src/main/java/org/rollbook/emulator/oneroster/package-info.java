/**
 * A local ClassLink-like OneRoster 1.1 (and 1.2 rostering) REST server for tests, benchmarks and manual use.
 * Start with {@link org.rollbook.emulator.oneroster.OneRosterEmulator#builder()}.
 */
@Export
@Version("1.1.0")
package org.rollbook.emulator.oneroster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
