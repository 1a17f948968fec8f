/**
 * The pods a Kubernetes object runs, read the way the API server and the
 * kubelet read them, so a rule asks one question per container and gets the
 * value in force and the line that set it:
 *
 *     for (const c of workload.containers)
 *       if (c.effective.privileged.value === true) hit(c.effective.privileged.path, c.effective.privileged.line)
 *
 * Where a kind keeps its pod spec: Pod `spec`; PodTemplate `template.spec`;
 * ReplicationController, Deployment, ReplicaSet, DaemonSet, StatefulSet, Job
 * `spec.template.spec`; CronJob `spec.jobTemplate.spec.template.spec`. A kind
 * of another API group with the same name (a CRD) is not a workload.
 *
 * The effective security context follows Kubernetes'
 * DetermineEffectiveSecurityContext (pkg/securitycontext): runAsUser,
 * runAsGroup, runAsNonRoot, seLinuxOptions (whole), seccompProfile and
 * appArmorProfile come from the container when it sets them, else from the
 * pod; windowsOptions merges field by field (the two GMSA fields as a pair);
 * privileged, allowPrivilegeEscalation, capabilities, readOnlyRootFilesystem
 * and procMount exist on the container only. A null is unset, as in the API.
 *
 * The deprecated annotations on the pod's metadata count where the API server
 * copies them into the fields at pod creation (pkg/registry/core/pod):
 * `container.apparmor.security.beta.kubernetes.io/<container>` when the
 * container sets no appArmorProfile (still done, deprecated since 1.30);
 * `container.seccomp.security.alpha.kubernetes.io/<container>` and
 * `seccomp.security.alpha.kubernetes.io/pod` when the container's or the
 * pod's seccompProfile is unset — Kubernetes stopped this in 1.27, so a rule
 * may give a seccomp profile `from: "annotation"` less weight.
 *
 * Every value carries where it was written (`path`, `keys`, `line`) and where
 * a fix would write it (`fix`: the container's securityContext; `podFix`: the
 * pod's, for the fields both have). A value of the wrong type (`privileged:
 * "true"`), which the API server would refuse, is a warning and counts as
 * unset.
 *
 * Pure: no I/O, no logging.
 */
import { InputError, jsonPath, type JsonPath } from "../../common/index.js";
import { isRecord, own } from "./load.js";
import { kindOf, type KubernetesObject } from "./objects.js";

/** A place in the document: its JSON path, the same as keys, and the line (of the nearest existing parent when absent). */
export interface Site {
  path: string;
  keys: JsonPath;
  line: number;
  column: number;
}

/** Which part of the manifest set a value. */
export type SettingSource = "container" | "pod" | "annotation";

/** A value in force, where it was written, and where to write it. */
export interface Setting<T> {
  /** Undefined when nothing sets it: Kubernetes' (or the runtime's) default applies. */
  value: T | undefined;
  from: SettingSource | undefined;
  /** JSON path of the node that set it (`$.spec.template.spec.securityContext.runAsUser`); undefined when unset. */
  path: string | undefined;
  keys: JsonPath | undefined;
  /** 1-based line of that node; undefined when unset. */
  line: number | undefined;
  /** Where to write the field to change it for this container (or, for pod-level facts, the pod). */
  fix: Site;
  /** For fields of both contexts: where to write it for every container of the pod. */
  podFix?: Site;
}

export type ContainerType = "container" | "initContainer" | "ephemeralContainer";

/** The pod spec field of each type of container, in the order they are listed. */
export const CONTAINER_FIELDS: ReadonlyArray<readonly [ContainerType, string]> = [
  ["initContainer", "initContainers"],
  ["container", "containers"],
  ["ephemeralContainer", "ephemeralContainers"],
];

/** seccompProfile and appArmorProfile: `RuntimeDefault`, `Localhost` (with a profile) or `Unconfined`. */
export interface Profile {
  type: string;
  localhostProfile?: string;
}

/** capabilities as written. */
export interface Capabilities {
  add: string[];
  drop: string[];
}

export interface WindowsOptions {
  gmsaCredentialSpecName: Setting<string>;
  gmsaCredentialSpec: Setting<string>;
  runAsUserName: Setting<string>;
  hostProcess: Setting<boolean>;
}

export interface EffectiveSecurityContext {
  runAsUser: Setting<number>;
  runAsGroup: Setting<number>;
  runAsNonRoot: Setting<boolean>;
  seLinuxOptions: Setting<Record<string, unknown>>;
  seccompProfile: Setting<Profile>;
  appArmorProfile: Setting<Profile>;
  windowsOptions: WindowsOptions;
  privileged: Setting<boolean>;
  /** As written; unset means allowed (no_new_privs is only set when it is false). */
  allowPrivilegeEscalation: Setting<boolean>;
  capabilities: Setting<Capabilities>;
  readOnlyRootFilesystem: Setting<boolean>;
  procMount: Setting<string>;
  /**
   * Whether a process can gain privileges: false only when
   * allowPrivilegeEscalation is false and the container is neither
   * privileged nor adds CAP_SYS_ADMIN (or ALL) — with those it is always
   * true, and the API server refuses an explicit false. Meaningless on
   * Windows pods, where the field cannot be set.
   */
  allowPrivilegeEscalationEffective: boolean;
}

export interface Container {
  type: ContainerType;
  /** Index in its list (containers, initContainers or ephemeralContainers). */
  index: number;
  name: string | undefined;
  image: string | undefined;
  keys: JsonPath;
  /** `$.spec.template.spec.containers[0]`. */
  path: string;
  line: number;
  raw: Record<string, unknown>;
  effective: EffectiveSecurityContext;
  /** capabilities.add and .drop as the runtime reads them: upper case, without `CAP_`. */
  addedCapabilities: string[];
  droppedCapabilities: string[];
}

export interface Volume {
  index: number;
  name: string | undefined;
  keys: JsonPath;
  path: string;
  line: number;
  /** Present for hostPath volumes. */
  hostPath: { path: string | undefined; type: string | undefined } | undefined;
  raw: Record<string, unknown>;
}

export interface Sysctl {
  name: string | undefined;
  value: string | undefined;
  keys: JsonPath;
  path: string;
  line: number;
}

/** The pod-level facts of a workload's pods. */
export interface Pod {
  /** Keys of the pod spec from the document's root. */
  keys: JsonPath;
  path: string;
  line: number;
  spec: Record<string, unknown>;
  /** The pods' metadata: the Pod's own, or its template's. */
  metadata: { keys: JsonPath; labels: Readonly<Record<string, string>>; annotations: Readonly<Record<string, string>> };
  /** spec.os.name: "linux", "windows", or undefined. */
  os: string | undefined;
  hostNetwork: Setting<boolean>;
  hostPID: Setting<boolean>;
  hostIPC: Setting<boolean>;
  /** false runs the pod in a user namespace. */
  hostUsers: Setting<boolean>;
  /** serviceAccountName, else the deprecated serviceAccount; unset means "default". */
  serviceAccountName: Setting<string>;
  /** The pod's own field; `tokenAutomount` adds the ServiceAccount's. */
  automountServiceAccountToken: Setting<boolean>;
  securityContext: { keys: JsonPath; value: Record<string, unknown> | undefined };
  sysctls: Sysctl[];
  volumes: Volume[];
}

export interface Workload {
  object: KubernetesObject;
  /** The owning object's namespace; absent when the manifest leaves it to the apply. */
  namespace: string | undefined;
  pod: Pod;
  /** Init containers, then containers, then ephemeral containers. */
  containers: Container[];
  /** Fields of the wrong type (counted as unset), a missing pod spec. */
  warnings: InputError[];
}

interface Shape {
  groups: readonly string[];
  spec: JsonPath;
  metadata: JsonPath;
}

const TEMPLATE = { spec: ["spec", "template", "spec"], metadata: ["spec", "template", "metadata"] };
const SHAPES = new Map<string, Shape>([
  ["Pod", { groups: [""], spec: ["spec"], metadata: ["metadata"] }],
  ["PodTemplate", { groups: [""], spec: ["template", "spec"], metadata: ["template", "metadata"] }],
  ["ReplicationController", { groups: [""], ...TEMPLATE }],
  ["Deployment", { groups: ["apps", "extensions"], ...TEMPLATE }],
  ["ReplicaSet", { groups: ["apps", "extensions"], ...TEMPLATE }],
  ["DaemonSet", { groups: ["apps", "extensions"], ...TEMPLATE }],
  ["StatefulSet", { groups: ["apps"], ...TEMPLATE }],
  ["Job", { groups: ["batch"], ...TEMPLATE }],
  ["CronJob", { groups: ["batch"], spec: ["spec", "jobTemplate", "spec", "template", "spec"], metadata: ["spec", "jobTemplate", "spec", "template", "metadata"] }],
]);

const SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/";
const APPARMOR_CONTAINER_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

/** Where the object's kind keeps its pod spec and the pods' metadata, relative to the object; undefined for other kinds. */
export function podSpecPath(object: { apiVersion: string; kind: string }): { spec: JsonPath; metadata: JsonPath } | undefined {
  const shape = SHAPES.get(object.kind);
  const slash = object.apiVersion.indexOf("/");
  const group = slash < 0 ? "" : object.apiVersion.slice(0, slash);
  return shape?.groups.includes(group) ? { spec: shape.spec, metadata: shape.metadata } : undefined;
}

/** The workloads among objects, in order. */
export function workloadsOf(objects: Iterable<KubernetesObject>): Workload[] {
  const out: Workload[] = [];
  for (const object of objects) {
    const workload = workloadOf(object);
    if (workload) out.push(workload);
  }
  return out;
}

/** The object's pods and containers, or undefined when its kind runs no pods. */
export function workloadOf(object: KubernetesObject): Workload | undefined {
  const shape = podSpecPath(object);
  if (!shape) return undefined;
  const r = new Reader(object);
  const specKeys = [...object.root, ...shape.spec];
  const metaKeys = [...object.root, ...shape.metadata];
  const spec = r.at(specKeys, RECORD);
  if (spec === undefined) r.warn(specKeys, "no pod spec");
  const podSpec = spec ?? {};
  const metadata =
    object.kind === "Pod"
      ? { keys: metaKeys, labels: object.labels, annotations: object.annotations }
      : { keys: metaKeys, labels: r.strings([...metaKeys, "labels"]), annotations: r.strings([...metaKeys, "annotations"]) };

  const podField = <T>(field: string, type: Type<T>): Setting<T> => {
    const keys = [...specKeys, field];
    return r.setting(r.find(keys, type, "pod"), r.site(keys));
  };
  const serviceAccountName = podField("serviceAccountName", STRING);
  const scKeys = [...specKeys, "securityContext"];
  const pod: Pod = {
    keys: specKeys,
    path: jsonPath(specKeys),
    line: object.locate(specKeys).line,
    spec: podSpec,
    metadata,
    os: r.at([...specKeys, "os", "name"], STRING),
    hostNetwork: podField("hostNetwork", BOOLEAN),
    hostPID: podField("hostPID", BOOLEAN),
    hostIPC: podField("hostIPC", BOOLEAN),
    hostUsers: podField("hostUsers", BOOLEAN),
    serviceAccountName: serviceAccountName.value ? serviceAccountName : fallback(podField("serviceAccount", STRING), serviceAccountName),
    automountServiceAccountToken: podField("automountServiceAccountToken", BOOLEAN),
    securityContext: { keys: scKeys, value: r.at(scKeys, RECORD) },
    sysctls: r.list([...scKeys, "sysctls"]).map(([keys]) => ({
      name: r.at([...keys, "name"], STRING),
      value: r.at([...keys, "value"], STRING),
      keys,
      path: jsonPath(keys),
      line: object.locate(keys).line,
    })),
    volumes: r.list([...specKeys, "volumes"]).map(([keys, raw], index) => {
      const hostPathKeys = [...keys, "hostPath"];
      const hostPath = r.at(hostPathKeys, RECORD);
      return {
        index,
        name: r.at([...keys, "name"], STRING),
        keys,
        path: jsonPath(keys),
        line: object.locate(keys).line,
        hostPath: hostPath && { path: r.at([...hostPathKeys, "path"], STRING), type: r.at([...hostPathKeys, "type"], STRING) },
        raw,
      };
    }),
  };

  const podContext = new PodContext(r, pod);
  const containers: Container[] = [];
  for (const [type, field] of CONTAINER_FIELDS) {
    r.list([...specKeys, field]).forEach(([keys, raw], index) => containers.push(podContext.container(type, index, keys, raw)));
  }
  return { object, namespace: object.namespace, pod, containers, warnings: r.warnings };
}

/** The deprecated serviceAccount field stands in for an unset serviceAccountName. */
function fallback(old: Setting<string>, current: Setting<string>): Setting<string> {
  return old.value ? { ...old, fix: current.fix } : current;
}

/** A JSON type a field should have. */
interface Type<T> {
  name: string;
  read(value: unknown): T | undefined;
}

const BOOLEAN: Type<boolean> = { name: "a boolean", read: (v) => (typeof v === "boolean" ? v : undefined) };
const STRING: Type<string> = { name: "a string", read: (v) => (typeof v === "string" ? v : undefined) };
const INTEGER: Type<number> = { name: "an integer", read: (v) => (typeof v === "number" && Number.isInteger(v) ? v : undefined) };
const RECORD: Type<Record<string, unknown>> = { name: "a mapping", read: (v) => (isRecord(v) ? v : undefined) };
const PROFILE: Type<Profile> = {
  name: "a mapping with a string type",
  read: (v) => {
    if (!isRecord(v)) return undefined;
    const type = own(v, "type");
    const localhostProfile = own(v, "localhostProfile");
    if (typeof type !== "string") return undefined;
    return typeof localhostProfile === "string" ? { type, localhostProfile } : { type };
  },
};
const CAPABILITIES: Type<Capabilities> = {
  name: "a mapping of add and drop lists",
  read: (v) => {
    if (!isRecord(v)) return undefined;
    const names = (key: string): string[] | undefined => {
      const list = own(v, key);
      if (list === undefined || list === null) return [];
      return Array.isArray(list) && list.every((c) => typeof c === "string") ? (list as string[]) : undefined;
    };
    const add = names("add");
    const drop = names("drop");
    return add && drop ? { add, drop } : undefined;
  },
};

/** Reads an object's fields by keys from the document root, warning once about each of the wrong type. */
class Reader {
  readonly warnings: InputError[] = [];

  constructor(private readonly object: KubernetesObject) {}

  /** The value at `keys`; undefined when absent, null, or of the wrong type (with a warning). */
  at<T>(keys: JsonPath, type: Type<T>): T | undefined {
    const value = this.raw(keys);
    if (value === undefined || value === null) return undefined;
    const read = type.read(value);
    if (read === undefined) this.warn(keys, `expected ${type.name}, got ${kindOf(value)}`);
    return read;
  }

  /** The mappings of the list at `keys`, each with its keys; other items are warned about. */
  list(keys: JsonPath): [JsonPath, Record<string, unknown>][] {
    const value = this.raw(keys);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.warn(keys, `expected a sequence, got ${kindOf(value)}`);
      return [];
    }
    const out: [JsonPath, Record<string, unknown>][] = [];
    value.forEach((item: unknown, i) => {
      if (isRecord(item)) out.push([[...keys, i], item]);
      else this.warn([...keys, i], `expected a mapping, got ${kindOf(item)}`);
    });
    return out;
  }

  /** A mapping of strings (labels, annotations): other values are warned about and left out. */
  strings(keys: JsonPath): Record<string, string> {
    const map = this.at(keys, RECORD);
    const entries: [string, string][] = [];
    for (const [k, v] of Object.entries(map ?? {})) {
      if (typeof v === "string") entries.push([k, v]);
      else this.warn([...keys, k], `expected a string, got ${kindOf(v)}`);
    }
    return Object.fromEntries(entries);
  }

  /** The value at `keys` with where it is, as `from` sets it; undefined when unset. */
  find<T>(keys: JsonPath, type: Type<T>, from: SettingSource): Found<T> | undefined {
    const value = this.at(keys, type);
    return value === undefined ? undefined : { value, from, keys };
  }

  site(keys: JsonPath): Site {
    const { line, column } = this.object.locate(keys);
    return { path: jsonPath(keys), keys, line, column };
  }

  setting<T>(found: Found<T> | undefined, fix: Site, podFix?: Site): Setting<T> {
    const setting: Setting<T> = found
      ? { value: found.value, from: found.from, path: jsonPath(found.keys), keys: found.keys, line: this.object.locate(found.keys).line, fix }
      : { value: undefined, from: undefined, path: undefined, keys: undefined, line: undefined, fix };
    if (podFix) setting.podFix = podFix;
    return setting;
  }

  warn(keys: JsonPath, detail: string): void {
    this.warnings.push(new InputError(this.object.file, `line ${this.object.locate(keys).line}`, `${jsonPath(keys)}: ${detail}`));
  }

  private raw(keys: JsonPath): unknown {
    // Keys go from the document's root; the object's raw value starts at its root.
    let value: unknown = this.object.raw;
    for (const key of keys.slice(this.object.root.length)) {
      if (Array.isArray(value) && typeof key === "number") value = value[key];
      else if (isRecord(value) && typeof key === "string") value = own(value, key);
      else return undefined;
    }
    return value;
  }
}

/** A value found in the manifest (a field or an annotation), with where it is. */
interface Found<T> {
  value: T;
  from: SettingSource;
  keys: JsonPath;
}

/** The pod-level values every container falls back to, read once so each warning is given once. */
class PodContext {
  private readonly podValues = new Map<string, Found<unknown> | undefined>();
  private readonly scKeys: JsonPath;

  constructor(
    private readonly r: Reader,
    private readonly pod: Pod,
  ) {
    this.scKeys = pod.securityContext.keys;
  }

  container(type: ContainerType, index: number, keys: JsonPath, raw: Record<string, unknown>): Container {
    const { r } = this;
    const name = r.at([...keys, "name"], STRING);
    const image = r.at([...keys, "image"], STRING);
    const scKeys = [...keys, "securityContext"];
    r.at(scKeys, RECORD); // warns once about a securityContext that is no mapping
    const mine = <T>(field: string, t: Type<T>): Found<T> | undefined => r.find([...scKeys, field], t, "container");
    const result = <T>(found: Found<T> | undefined, field: string, shared: boolean): Setting<T> =>
      r.setting(found, r.site([...scKeys, field]), shared ? r.site([...this.scKeys, field]) : undefined);
    const both = <T>(field: string, t: Type<T>): Setting<T> => result(mine(field, t) ?? this.podLevel([field], t), field, true);
    const only = <T>(field: string, t: Type<T>): Setting<T> => result(mine(field, t), field, false);

    const seccomp =
      mine("seccompProfile", PROFILE) ??
      this.annotation(name && SECCOMP_CONTAINER_ANNOTATION + name, seccompFromAnnotation) ??
      this.podLevel(["seccompProfile"], PROFILE) ??
      this.annotation(SECCOMP_POD_ANNOTATION, seccompFromAnnotation);
    const appArmorAnnotation = this.pod.os === "windows" ? undefined : this.annotation(name && APPARMOR_CONTAINER_ANNOTATION + name, appArmorFromAnnotation);
    const appArmor = mine("appArmorProfile", PROFILE) ?? appArmorAnnotation ?? this.podLevel(["appArmorProfile"], PROFILE);

    const privileged = only("privileged", BOOLEAN);
    const allowPrivilegeEscalation = only("allowPrivilegeEscalation", BOOLEAN);
    const capabilities = only("capabilities", CAPABILITIES);
    const addedCapabilities = (capabilities.value?.add ?? []).map(capabilityName);
    const droppedCapabilities = (capabilities.value?.drop ?? []).map(capabilityName);
    const effective: EffectiveSecurityContext = {
      runAsUser: both("runAsUser", INTEGER),
      runAsGroup: both("runAsGroup", INTEGER),
      runAsNonRoot: both("runAsNonRoot", BOOLEAN),
      seLinuxOptions: both("seLinuxOptions", RECORD),
      seccompProfile: result(seccomp, "seccompProfile", true),
      appArmorProfile: result(appArmor, "appArmorProfile", true),
      windowsOptions: this.windowsOptions(scKeys),
      privileged,
      allowPrivilegeEscalation,
      capabilities,
      readOnlyRootFilesystem: only("readOnlyRootFilesystem", BOOLEAN),
      procMount: only("procMount", STRING),
      allowPrivilegeEscalationEffective:
        privileged.value === true || addedCapabilities.includes("SYS_ADMIN") || addedCapabilities.includes("ALL") || allowPrivilegeEscalation.value !== false,
    };
    return { type, index, name, image, keys, path: jsonPath(keys), line: r.site(keys).line, raw, effective, addedCapabilities, droppedCapabilities };
  }

  /** windowsOptions merge field by field; a container that sets either GMSA field sets both. */
  private windowsOptions(containerSc: JsonPath): WindowsOptions {
    const { r } = this;
    const cKeys = [...containerSc, "windowsOptions"];
    const pKeys = [...this.scKeys, "windowsOptions"];
    const container = r.at(cKeys, RECORD);
    const set = (field: string): boolean => container !== undefined && own(container, field) !== undefined && own(container, field) !== null;
    const field = <T>(name: string, t: Type<T>, containerSets: boolean): Setting<T> => {
      const found = containerSets ? r.find([...cKeys, name], t, "container") : this.podLevel(["windowsOptions", name], t);
      return r.setting(found, r.site([...cKeys, name]), r.site([...pKeys, name]));
    };
    const gmsa = set("gmsaCredentialSpecName") || set("gmsaCredentialSpec");
    return {
      gmsaCredentialSpecName: field("gmsaCredentialSpecName", STRING, gmsa),
      gmsaCredentialSpec: field("gmsaCredentialSpec", STRING, gmsa),
      runAsUserName: field("runAsUserName", STRING, set("runAsUserName")),
      hostProcess: field("hostProcess", BOOLEAN, set("hostProcess")),
    };
  }

  /** A field of the pod's securityContext (`["windowsOptions", "hostProcess"]`), read once. */
  private podLevel<T>(field: JsonPath, t: Type<T>): Found<T> | undefined {
    const id = field.join(".");
    if (!this.podValues.has(id)) {
      this.podValues.set(id, this.r.find([...this.scKeys, ...field], t, "pod"));
    }
    return this.podValues.get(id) as Found<T> | undefined;
  }

  /** A profile from an annotation of the pods' metadata, when it names one Kubernetes would accept. */
  private annotation(key: string | undefined, parse: (value: string) => Profile | undefined): Found<Profile> | undefined {
    if (!key || !Object.hasOwn(this.pod.metadata.annotations, key)) return undefined;
    const value = parse(this.pod.metadata.annotations[key]!);
    return value && { value, from: "annotation", keys: [...this.pod.metadata.keys, "annotations", key] };
  }
}

/** `runtime/default`, `docker/default`, `unconfined`, `localhost/<profile>` (pkg/api/pod SeccompFieldForAnnotation). */
export function seccompFromAnnotation(value: string): Profile | undefined {
  if (value === "unconfined") return { type: "Unconfined" };
  if (value === "runtime/default" || value === "docker/default") return { type: "RuntimeDefault" };
  if (value.startsWith("localhost/") && value.length > "localhost/".length) return { type: "Localhost", localhostProfile: value.slice("localhost/".length) };
  return undefined;
}

/** `runtime/default`, `unconfined`, `localhost/<profile>` (pkg/api/pod ApparmorFieldForAnnotation). */
export function appArmorFromAnnotation(value: string): Profile | undefined {
  if (value === "docker/default") return undefined;
  return seccompFromAnnotation(value);
}

/** `cap_net_admin` and `NET_ADMIN` are the same capability to the runtime. */
export function capabilityName(name: string): string {
  return name.trim().toUpperCase().replace(/^CAP_/, "");
}

/** ServiceAccount objects of a scan, by namespace and name. */
export interface ServiceAccounts {
  find(namespace: string | undefined, name: string): KubernetesObject | undefined;
}

/**
 * The ServiceAccounts among objects. A manifest without a namespace matches
 * only manifests without one: both go wherever the apply puts them.
 */
export function serviceAccountsOf(objects: Iterable<KubernetesObject>): ServiceAccounts {
  const byKey = new Map<string, KubernetesObject>();
  const key = (namespace: string | undefined, name: string): string => JSON.stringify([namespace ?? null, name]);
  for (const object of objects) {
    if (object.kind === "ServiceAccount" && object.apiVersion === "v1" && object.name !== undefined) byKey.set(key(object.namespace, object.name), object);
  }
  return { find: (namespace, name) => byKey.get(key(namespace, name)) };
}

/** Whether the pods get a service account token mounted, and what decided it. */
export interface TokenAutomount {
  value: boolean;
  /** The pod's field, else the ServiceAccount's, else Kubernetes' default (true). */
  from: "pod" | "service-account" | "default";
  /** The pods' ServiceAccount, when the scan has it. */
  serviceAccount: KubernetesObject | undefined;
  /** Where the deciding value is written: in the workload's file, or the ServiceAccount's (`serviceAccount.file`). */
  path: string | undefined;
  keys: JsonPath | undefined;
  line: number | undefined;
}

/** The ServiceAccount admission rule: the pod's automountServiceAccountToken, else its ServiceAccount's, else true. */
export function tokenAutomount(workload: Workload, accounts?: ServiceAccounts): TokenAutomount {
  const pod = workload.pod.automountServiceAccountToken;
  const serviceAccount = accounts?.find(workload.namespace, workload.pod.serviceAccountName.value || "default");
  if (pod.value !== undefined) return { value: pod.value, from: "pod", serviceAccount, path: pod.path, keys: pod.keys, line: pod.line };
  const saValue = serviceAccount && own(serviceAccount.raw, "automountServiceAccountToken");
  if (serviceAccount && typeof saValue === "boolean") {
    const keys = [...serviceAccount.root, "automountServiceAccountToken"];
    return { value: saValue, from: "service-account", serviceAccount, path: jsonPath(keys), keys, line: serviceAccount.locate(keys).line };
  }
  return { value: true, from: "default", serviceAccount, path: undefined, keys: undefined, line: undefined };
}
