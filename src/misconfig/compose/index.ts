/**
 * Compose files: the loader (services as Docker Compose reads them, with
 * positions) and the misconfiguration rules run over each service.
 */
export { hasVariable, loadCompose, type ComposeFile, type ComposeService, type ComposeVariable, type ComposeVolume } from "./load.js";
export { checkCompose } from "./check.js";
export { COMPOSE_RULES, type ComposeRule } from "./rules/index.js";
