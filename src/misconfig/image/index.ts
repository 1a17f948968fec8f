/**
 * Image checks: the risks of an image itself, from its configuration and
 * final filesystem (PCS-IMG rules) and the hardening facts behind them — the
 * tools it ships with their bytes and layers, special permission bits, and
 * a size breakdown per layer.
 */
import { toFinding } from "../rule.js";
import type { Finding } from "../../common/index.js";
import { hardeningOf, type ImageHardening } from "./hardening.js";
import { IMAGE_RULES, type ImageRule } from "./rules.js";
import type { ImageSubject } from "./subject.js";

export { hardeningOf, PACKAGE_CACHES, type ImageHardening, type LayerWeight, type ShippedTool, type SpecialPath } from "./hardening.js";
export { FILESYSTEM_RULES, IMAGE_RULES, isRootUser, mib, supervisorOf, type ImageCheck, type ImageRule } from "./rules.js";
export { layerId, type ImageFile, type ImageLayer, type ImageSubject, type RunConfig } from "./subject.js";
export { PROGRAM_DIRS, TOOLS, type ToolCategory, type ToolSpec } from "./tools.js";

export interface ImageCheckResult {
  findings: Finding[];
  hardening: ImageHardening;
}

/** Every image rule over the image; the hardening facts come back too, for reports. */
export function checkImage(image: ImageSubject, rules: readonly ImageRule[] = IMAGE_RULES): ImageCheckResult {
  const hardening = hardeningOf(image);
  const findings: Finding[] = [];
  for (const rule of rules) for (const hit of rule.check({ image, hardening })) findings.push(toFinding(rule, hit));
  return { findings, hardening };
}
