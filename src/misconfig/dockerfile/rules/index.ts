/**
 * The Dockerfile rules, sorted by id: what checkDockerfile runs and the
 * catalog lists.
 */
import { addFromUrl, addInsteadOfCopy } from "./add.js";
import { aptInstallRecommends } from "./apt-recommends.js";
import { floatingBaseTag, unpinnedBaseDigest } from "./base-image.js";
import { debugToolsShipped } from "./debug-tools.js";
import { exposeSsh } from "./expose.js";
import { missingHealthcheck } from "./healthcheck.js";
import { packageCacheLeft } from "./package-cache.js";
import { worldWritablePermissions } from "./permissions.js";
import { remoteScriptPiped } from "./remote-script.js";
import type { DockerfileRule } from "./rule.js";
import { secretInEnvOrArg } from "./secrets.js";
import { sudoInRun } from "./sudo.js";
import { finalUserRoot } from "./user.js";

export const DOCKERFILE_RULES: readonly DockerfileRule[] = [
  finalUserRoot,
  addInsteadOfCopy,
  addFromUrl,
  floatingBaseTag,
  unpinnedBaseDigest,
  secretInEnvOrArg,
  remoteScriptPiped,
  aptInstallRecommends,
  packageCacheLeft,
  sudoInRun,
  exposeSsh,
  missingHealthcheck,
  worldWritablePermissions,
  debugToolsShipped,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export type { DockerfileRule } from "./rule.js";
