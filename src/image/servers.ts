/** The transports that talk to servers: a registry (OCI distribution API) and a Docker-compatible engine. */
export { openRegistryImage, type RegistryOpenOptions } from "./registry/source.js";
export { openEngineImage, type EngineOpenOptions } from "./engine.js";
