export type { EntryType, ImageConfig, Layer, LayerEntry, OpenedImage, OpenOptions, ProgressEvent } from "./model.js";
export { DEFAULT_LIMITS, withDefaults, type WalkLimits } from "./limits.js";
export { canonicalPath, isUnder, resolveLinkTarget } from "./paths.js";
export { openDockerArchive } from "./docker-archive.js";
export { openOciArchive, openOciDir } from "./oci-layout.js";
export { openRootfs } from "./rootfs.js";
export { openImage, parseTarget, type ParsedTarget } from "./open.js";
export { openRegistryImage, openEngineImage, type RegistryOpenOptions, type EngineOpenOptions } from "./servers.js";
export { parseReference, formatReference, type ImageReference } from "./registry/reference.js";
