/**
 * Public API of the Clever Data API v3.0 emulator: {@link org.rollbook.emulator.clever.CleverEmulator}.
 */
@Export
@Version("1.1.0")
package org.rollbook.emulator.clever;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
