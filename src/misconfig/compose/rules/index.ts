/** The Compose rules, sorted by id: what checkCompose runs and the catalog lists. */
import { addedCapabilities } from "./capabilities.js";
import { dockerSocket } from "./docker-socket.js";
import { environmentSecrets } from "./environment-secrets.js";
import { hostIpc, hostNetwork, hostPid } from "./host-namespaces.js";
import { privileged } from "./privileged.js";
import { writableRoot } from "./read-only.js";
import type { ComposeRule } from "./rule.js";
import { unconfined } from "./security-opt.js";
import { rootUser } from "./user.js";

export const COMPOSE_RULES: readonly ComposeRule[] = [privileged, hostNetwork, hostPid, hostIpc, dockerSocket, addedCapabilities, writableRoot, rootUser, unconfined, environmentSecrets].sort((a, b) =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
);

export type { ComposeRule } from "./rule.js";
