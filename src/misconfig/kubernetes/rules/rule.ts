/**
 * What every Kubernetes rule shares: the subject it checks (the whole scan,
 * since a ServiceAccount, a LimitRange or a NetworkPolicy elsewhere in it can
 * decide a workload's finding), rule shapes for the three grains rules work
 * at (a container, a workload's pods, any object), and one way to build a hit
 * that points at the node to change and says what to write there.
 */
import { jsonPath, type FindingFix, type JsonPath, type RuleMeta } from "../../../common/index.js";
import { defineRule, type Hit, type Rule } from "../../rule.js";
import { locationOf, type KubernetesObject } from "../objects.js";
import type { Container, ServiceAccounts, Workload } from "../workloads.js";

export interface KubernetesCheckOptions {
  /** Registries images may come from ("registry.example.com", "ghcr.io/acme"); the untrusted-registry rule is silent without a list. */
  trustedRegistries?: readonly string[];
  /** The objects are a whole directory: namespace-level checks (a namespace with workloads and no NetworkPolicy) apply. */
  wholeDirectory?: boolean;
}

/** Everything a rule may look at: every object of the scan, its workloads read once, and the options. */
export interface KubernetesScan {
  objects: readonly KubernetesObject[];
  workloads: readonly Workload[];
  serviceAccounts: ServiceAccounts;
  options: KubernetesCheckOptions;
}

export type KubernetesRule = Rule<KubernetesScan>;

function kubernetesRule(meta: RuleMeta, check: (scan: KubernetesScan) => Hit[]): KubernetesRule {
  if (!meta.id.startsWith("PCS-K8S-")) throw new Error(`Kubernetes rule id "${meta.id}" is not PCS-K8S-nnn`);
  const { id, title, severity, why, remediation, references, mappings } = meta;
  return defineRule({ id, title, severity, why, remediation, references, mappings, check });
}

/** Which containers a container rule looks at. */
export type ContainerScope = "all" | "not-ephemeral" | "regular";

export interface ContainerRuleSpec extends RuleMeta {
  /** "all" unless given: "not-ephemeral" leaves out ephemeral containers, "regular" init containers too. */
  containers?: ContainerScope;
  /** Skip Windows pods: the field is Linux-only (the API refuses it, or Windows ignores it). */
  linuxOnly?: boolean;
  /** Only workloads this accepts. */
  appliesTo?: (workload: Workload) => boolean;
  checkContainer(container: Container, workload: Workload, scan: KubernetesScan): Hit[];
}

/** A rule asked once per container of every workload in the scan. */
export function containerRule(spec: ContainerRuleSpec): KubernetesRule {
  const scope = spec.containers ?? "all";
  return kubernetesRule(spec, (scan) =>
    scan.workloads
      .filter((w) => (!spec.linuxOnly || !isWindows(w)) && (spec.appliesTo?.(w) ?? true))
      .flatMap((w) => w.containers.filter((c) => inScope(c, scope)).flatMap((c) => spec.checkContainer(c, w, scan))),
  );
}

export interface WorkloadRuleSpec extends RuleMeta {
  linuxOnly?: boolean;
  checkWorkload(workload: Workload, scan: KubernetesScan): Hit[];
}

/** A rule asked once per workload, about its pods. */
export function workloadRule(spec: WorkloadRuleSpec): KubernetesRule {
  return kubernetesRule(spec, (scan) => scan.workloads.filter((w) => !spec.linuxOnly || !isWindows(w)).flatMap((w) => spec.checkWorkload(w, scan)));
}

export interface ObjectRuleSpec extends RuleMeta {
  checkObject(object: KubernetesObject, scan: KubernetesScan): Hit[];
}

/** A rule asked once per object of the scan (RBAC objects, metadata). */
export function objectRule(spec: ObjectRuleSpec): KubernetesRule {
  return kubernetesRule(spec, (scan) => scan.objects.flatMap((o) => spec.checkObject(o, scan)));
}

export interface ScanRuleSpec extends RuleMeta {
  checkScan(scan: KubernetesScan): Hit[];
}

/** A rule asked once about the whole scan (namespace-level checks). */
export function scanRule(spec: ScanRuleSpec): KubernetesRule {
  return kubernetesRule(spec, (scan) => spec.checkScan(scan));
}

function inScope(c: Container, scope: ContainerScope): boolean {
  if (scope === "all") return true;
  if (scope === "not-ephemeral") return c.type !== "ephemeralContainer";
  return c.type === "container";
}

/**
 * Pods that run on Windows nodes: `spec.os.name: windows`, which the API
 * server validates against, or a nodeSelector that only Windows nodes match.
 */
export function isWindows(w: Workload): boolean {
  if (w.pod.os === "windows") return true;
  const selector = w.pod.spec["nodeSelector"];
  return typeof selector === "object" && selector !== null && (selector as Record<string, unknown>)["kubernetes.io/os"] === "windows";
}

/** `container "web"`, `init container "setup"`, `ephemeral container "debugger"`. */
export function containerText(c: Container): string {
  const type = c.type === "initContainer" ? "init container" : c.type === "ephemeralContainer" ? "ephemeral container" : "container";
  return `${type} "${c.name ?? `#${c.index}`}"`;
}

export interface FixAt {
  description: string;
  /** Where to write (keys from the document's root); absent when the fix is to remove or add something elsewhere. */
  keys?: JsonPath;
  value?: unknown;
}

/**
 * A hit at `keys` of the object (or, when that node does not exist, at its
 * nearest existing parent: the line and JSON path then agree), naming the
 * container when given.
 */
export function hitAt(object: KubernetesObject, keys: JsonPath, evidence: string, fix: FixAt, container?: Container): Hit {
  const found = object.locate(keys).found;
  const location = locationOf(object, found, container?.name);
  const out: FindingFix = { description: fix.description };
  if (fix.keys) out.jsonPath = jsonPath(fix.keys);
  if (fix.value !== undefined) out.value = fix.value;
  return { evidence, location, fix: out };
}

/** `value` as a JSON record, or undefined. */
export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The items of `value` that are records, each with its index; nothing for anything else. */
export function records(value: unknown): [Record<string, unknown>, number][] {
  if (!Array.isArray(value)) return [];
  const out: [Record<string, unknown>, number][] = [];
  value.forEach((item: unknown, i) => {
    const r = record(item);
    if (r) out.push([r, i]);
  });
  return out;
}

/** The strings of a list; nothing for anything else. */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The object's own value at `key`, never an inherited one. */
export function own(r: Record<string, unknown> | undefined, key: string): unknown {
  return r && Object.hasOwn(r, key) ? r[key] : undefined;
}

export type { Hit };
