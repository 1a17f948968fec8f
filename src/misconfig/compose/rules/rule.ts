/**
 * What every Compose rule shares: it checks one service and says where to
 * change it — the line, the JSON path and, where one value fixes it, that
 * value.
 */
import type { JsonPath } from "../../../common/index.js";
import { defineRule, type Hit, type Rule } from "../../rule.js";
import type { ComposeService } from "../load.js";

export type ComposeRule = Rule<ComposeService>;

export function composeRule(rule: ComposeRule): ComposeRule {
  if (!rule.id.startsWith("PCS-CMP-")) throw new Error(`Compose rule id "${rule.id}" is not PCS-CMP-nnn`);
  return defineRule(rule);
}

/** A hit at a field of the service: its line, JSON path, and the fix (with the value to set, when one value fixes it). */
export function hitAt(service: ComposeService, keys: JsonPath, evidence: string, fix: string, value?: unknown): Hit {
  const { line, endLine } = service.locate(keys);
  const path = service.jsonPath(keys);
  return {
    evidence,
    location: { line, endLine, jsonPath: path },
    fix: { description: fix, jsonPath: path, ...(value !== undefined ? { value } : {}) },
  };
}

export type { Hit };

/** The CIS Docker Benchmark v1.6.0 numbers used in mappings below. */
export const CIS = {
  apparmor: "5.2",
  selinux: "5.3",
  capabilities: "5.4",
  privileged: "5.5",
  hostNetwork: "5.10",
  readOnlyRoot: "5.13",
  hostPid: "5.16",
  hostIpc: "5.17",
  seccomp: "5.22",
  dockerSocket: "5.32",
} as const;
