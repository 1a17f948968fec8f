/** Version schemes: one ordering and range check per package ecosystem. */
export { apk } from "./apk.js";
export { composer } from "./composer.js";
export { dpkg } from "./dpkg.js";
export { gem } from "./gem.js";
export { go } from "./go.js";
export { maven } from "./maven.js";
export { nuget } from "./nuget.js";
export { pep440 } from "./pep440.js";
export { rpm } from "./rpm.js";
export { semver } from "./semver.js";
export { schemeForEcosystem } from "./ecosystems.js";
export { fixedVersionFor, inOsvRange, type OsvEvent } from "./osv-range.js";
export { InvalidRangeError, InvalidVersionError, type SchemeName, type VersionScheme } from "./scheme.js";
