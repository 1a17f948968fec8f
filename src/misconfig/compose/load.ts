/**
 * A Compose file read into the services the misconfiguration rules check,
 * each field normalised the way Docker Compose (compose-go) reads it — the
 * list and map forms of `environment`, the short `src:dst:mode` and long
 * forms of `volumes`, `yes`/`on` for booleans of the fields that cast them —
 * and each able to say on which line any of its nodes is written.
 *
 * YAML is read as compose-go reads it (go-yaml v3, with `<<` merges) through
 * the same bounded reader as Kubernetes manifests: size, nesting, node and
 * alias limits stop YAML bombs. A field of the wrong type is reported as a
 * problem naming the file, the line and the JSON path, and the rest of the
 * file is still checked. `extends`, `profiles`, `include` and variables
 * (`${VAR}`) are left as written: what they resolve to is not known here.
 *
 * Pure: no I/O, no logging.
 */
import { InputError, jsonPath, type JsonPath } from "../../common/index.js";
import { isRecord, loadYaml, own, type LoadLimits, type YamlDocument } from "../kubernetes/load.js";

export interface ComposeVolume {
  /** Index in the service's `volumes` list. */
  readonly index: number;
  /** "bind", "volume", "tmpfs", "npipe", "cluster", "image". */
  readonly type: string;
  /** Host path (bind) or volume name; absent for anonymous volumes and tmpfs. */
  readonly source?: string;
  readonly target: string;
  readonly readOnly: boolean;
}

export interface ComposeVariable {
  readonly name: string;
  /** The value as written; undefined for `- NAME` / `NAME:` (taken from the shell that runs compose). */
  readonly value: string | undefined;
  /** Where it is under the service: `["environment", 2]` (list form) or `["environment", "NAME"]` (map form). */
  readonly keys: JsonPath;
}

export interface ComposeService {
  readonly file: string;
  /** 0-based document of the file it is defined in. */
  readonly document: number;
  readonly name: string;
  /** 1-based line of the service's key. */
  readonly line: number;
  /** The service's mapping as data, every field included. */
  readonly value: Readonly<Record<string, unknown>>;
  /** Where a field of the service is written (`["volumes", 0]`), or its nearest existing parent. */
  locate(keys: JsonPath): { line: number; endLine: number };
  /** `$.services.web.privileged` for `["privileged"]`. */
  jsonPath(keys: JsonPath): string;
  readonly image?: string;
  /** Booleans: undefined when not set or set from a variable. */
  readonly privileged?: boolean;
  readonly readOnly?: boolean;
  readonly networkMode?: string;
  readonly pid?: string;
  readonly ipc?: string;
  readonly user?: string;
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  readonly securityOpt: readonly string[];
  readonly volumes: readonly ComposeVolume[];
  readonly environment: readonly ComposeVariable[];
  readonly ports: readonly unknown[];
  readonly deploy?: Readonly<Record<string, unknown>>;
}

export interface ComposeFile {
  readonly services: ComposeService[];
  /** What could not be read: bad YAML, fields of the wrong type; each names the file, line and JSON path. */
  readonly problems: InputError[];
}

/** A value that compose fills in from the environment: `${VAR}`, `$VAR` (`$$` is a literal `$`). */
export function hasVariable(text: string): boolean {
  return /(^|[^$])\$(\{|[A-Za-z_])/.test(text);
}

/** compose-go casts these strings to booleans for `privileged`, `read_only` and the like. */
const TRUE = new Set(["y", "yes", "true", "on"]);
const FALSE = new Set(["n", "no", "false", "off"]);

/** The services of every document of a Compose file; throws InputError only for what stops the whole file (limits). */
export function loadCompose(text: string, file: string, limits: Partial<LoadLimits> = {}): ComposeFile {
  const services: ComposeService[] = [];
  const problems: InputError[] = [];
  for (const result of loadYaml(text, file, { limits, dialect: "go-yaml-v3" })) {
    if (!result.ok) {
      problems.push(result.error);
      continue;
    }
    new ServiceReader(result.document, services, problems).read();
  }
  return { services, problems };
}

class ServiceReader {
  constructor(
    private readonly doc: YamlDocument,
    private readonly services: ComposeService[],
    private readonly problems: InputError[],
  ) {}

  private problem(keys: JsonPath, detail: string): void {
    const { line, column } = this.doc.locate(keys);
    this.problems.push(new InputError(this.doc.file, `line ${line}, column ${column} (${jsonPath(keys)})`, detail));
  }

  read(): void {
    const root = this.doc.value;
    if (!isRecord(root)) {
      this.problem([], "a Compose file is a mapping with a `services` key");
      return;
    }
    const services = own(root, "services");
    if (services === undefined || services === null) return;
    if (!isRecord(services)) {
      this.problem(["services"], "`services` must be a mapping of service names to services");
      return;
    }
    for (const name of Object.keys(services)) {
      const value = services[name];
      if (!isRecord(value)) {
        this.problem(["services", name], `service "${name}" must be a mapping`);
        continue;
      }
      this.services.push(this.service(name, value));
    }
  }

  private service(name: string, value: Record<string, unknown>): ComposeService {
    const base: JsonPath = ["services", name];
    const at = (keys: JsonPath): JsonPath => [...base, ...keys];
    const doc = this.doc;
    const str = (key: string): string | undefined => {
      const v = own(value, key);
      if (v === undefined || v === null) return undefined;
      if (typeof v === "string") return v;
      if (typeof v === "number" || typeof v === "boolean") return String(v);
      this.problem(at([key]), `\`${key}\` must be a string`);
      return undefined;
    };
    const bool = (key: string): boolean | undefined => {
      const v = own(value, key);
      if (v === undefined || v === null) return undefined;
      if (typeof v === "boolean") return v;
      if (typeof v === "string") {
        if (hasVariable(v)) return undefined;
        const lower = v.toLowerCase();
        if (TRUE.has(lower)) return true;
        if (FALSE.has(lower)) return false;
      }
      this.problem(at([key]), `\`${key}\` must be a boolean (true or false), not ${JSON.stringify(v)}`);
      return undefined;
    };
    const strings = (key: string): string[] => {
      const v = own(value, key);
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
        this.problem(at([key]), `\`${key}\` must be a list of strings`);
        return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
      }
      return v as string[];
    };
    const ports = own(value, "ports");
    const deploy = own(value, "deploy");
    const service: ComposeService = {
      file: doc.file,
      document: doc.index,
      name,
      line: doc.locate(base).line,
      value,
      locate: (keys) => {
        const { line, endLine } = doc.locate(at(keys));
        return { line, endLine };
      },
      jsonPath: (keys) => jsonPath(at(keys)),
      image: str("image"),
      privileged: bool("privileged"),
      readOnly: bool("read_only"),
      networkMode: str("network_mode"),
      pid: str("pid"),
      ipc: str("ipc"),
      user: str("user"),
      capAdd: strings("cap_add"),
      capDrop: strings("cap_drop"),
      securityOpt: strings("security_opt"),
      volumes: this.volumes(own(value, "volumes"), at),
      environment: this.environment(own(value, "environment"), at),
      ports: Array.isArray(ports) ? ports : [],
      ...(isRecord(deploy) ? { deploy } : {}),
    };
    return service;
  }

  private volumes(v: unknown, at: (keys: JsonPath) => JsonPath): ComposeVolume[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.problem(at(["volumes"]), "`volumes` must be a list");
      return [];
    }
    const out: ComposeVolume[] = [];
    v.forEach((item, index) => {
      if (typeof item === "string") {
        out.push(shortVolume(item, index));
      } else if (isRecord(item)) {
        const target = own(item, "target");
        if (typeof target !== "string") {
          this.problem(at(["volumes", index]), "a volume in long syntax needs a `target` string");
          return;
        }
        const source = own(item, "source");
        const type = own(item, "type");
        const ro = own(item, "read_only");
        out.push({
          index,
          type: typeof type === "string" ? type : typeof source === "string" && isHostPath(source) ? "bind" : "volume",
          ...(typeof source === "string" ? { source } : {}),
          target,
          readOnly: ro === true || (typeof ro === "string" && TRUE.has(ro.toLowerCase())),
        });
      } else {
        this.problem(at(["volumes", index]), "a volume is a `source:target[:mode]` string or a mapping");
      }
    });
    return out;
  }

  private environment(v: unknown, at: (keys: JsonPath) => JsonPath): ComposeVariable[] {
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) {
      const out: ComposeVariable[] = [];
      v.forEach((item, index) => {
        if (typeof item !== "string") {
          this.problem(at(["environment", index]), "an environment list entry is a `NAME=value` string");
          return;
        }
        const eq = item.indexOf("=");
        out.push({ name: eq < 0 ? item : item.slice(0, eq), value: eq < 0 ? undefined : item.slice(eq + 1), keys: ["environment", index] });
      });
      return out;
    }
    if (isRecord(v)) {
      return Object.entries(v).flatMap(([name, value]): ComposeVariable[] => {
        if (value !== null && typeof value === "object") {
          this.problem(at(["environment", name]), `environment value of ${name} must be a string, number, boolean or null`);
          return [];
        }
        return [{ name, value: value === null || value === undefined ? undefined : String(value), keys: ["environment", name] }];
      });
    }
    this.problem(at(["environment"]), "`environment` must be a list of `NAME=value` strings or a mapping");
    return [];
  }
}

/** A path on the host rather than a volume name: `/x`, `./x`, `../x`, `~/x`, `C:\x`, `\\server\x`. */
function isHostPath(source: string): boolean {
  return /^([/.~]|[A-Za-z]:[\\/]|\\\\)/.test(source) || hasVariable(source);
}

/** `target`, `source:target`, `source:target:mode`, with Windows drive letters kept whole. */
function shortVolume(text: string, index: number): ComposeVolume {
  const parts = text.split(":");
  // Rejoin a drive letter split off a Windows path: `C:\data:/data`.
  const joined: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (/^[A-Za-z]$/.test(p) && /^[\\/]/.test(parts[i + 1] ?? "")) joined.push(`${p}:${parts[++i]}`);
    else joined.push(p);
  }
  if (joined.length === 1) return { index, type: "volume", target: joined[0]!, readOnly: false };
  const [source, target, mode = ""] = joined as [string, string, string?];
  return { index, type: isHostPath(source) ? "bind" : "volume", source, target, readOnly: mode.split(",").includes("ro") };
}
