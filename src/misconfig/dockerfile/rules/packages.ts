/**
 * Package manager commands of a RUN, read from its shell commands: which
 * manager, which action, which packages, and whether the same RUN leaves the
 * manager's cache behind. Docker commits one layer per RUN, so a cache
 * removed by a later RUN still ships in the earlier layer; only the same RUN
 * (or a cache mount, which never enters a layer) counts as cleaning up.
 */
import type { Instruction, Stage } from "../parse.js";
import { hasOption, withNested, type ShellCommand } from "./shell.js";

export type PackageManager = "apt-get" | "apk" | "yum" | "dnf" | "microdnf" | "zypper" | "pip";

export interface PackageInstall {
  readonly manager: PackageManager;
  readonly command: ShellCommand;
  /** The package names, versions and flags removed: `gdb=12.1-2` → `gdb`. */
  readonly packages: readonly string[];
}

/** The options of each manager that take the next word as their value. */
const VALUE_OPTIONS: Readonly<Record<PackageManager, ReadonlySet<string>>> = {
  "apt-get": new Set(["-o", "-t", "-c", "--option", "--target-release", "--config-file"]),
  apk: new Set(["-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch", "--cache-dir", "--keys-dir", "--repositories-file"]),
  yum: new Set(["-c", "--config", "--installroot", "--releasever", "--enablerepo", "--disablerepo", "--setopt", "-x", "--exclude"]),
  dnf: new Set(["-c", "--config", "--installroot", "--releasever", "--enablerepo", "--disablerepo", "--setopt", "-x", "--exclude", "--repo"]),
  microdnf: new Set(["--config", "--installroot", "--releasever", "--enablerepo", "--disablerepo", "--setopt"]),
  zypper: new Set(["-r", "--repo", "--from", "-t", "--type"]),
  pip: new Set(["-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-t", "--target", "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--prefix", "--root", "--platform", "--python-version", "--implementation", "--abi", "--src", "--cache-dir", "--progress-bar", "--trusted-host", "--only-binary", "--no-binary"]),
};

const INSTALL_ACTIONS: Readonly<Record<PackageManager, ReadonlySet<string>>> = {
  "apt-get": new Set(["install"]),
  apk: new Set(["add"]),
  yum: new Set(["install", "groupinstall", "localinstall", "reinstall"]),
  dnf: new Set(["install", "groupinstall", "localinstall", "reinstall"]),
  microdnf: new Set(["install", "reinstall"]),
  zypper: new Set(["install", "in"]),
  pip: new Set(["install"]),
};

/** The manager a command runs, if any: `apt` and `aptitude` count as apt-get, `pip3.12` and `python -m pip` as pip. */
export function managerOf(c: ShellCommand): { manager: PackageManager; args: readonly string[] } | undefined {
  const name = c.name;
  if (name === "apt-get" || name === "apt" || name === "aptitude") return { manager: "apt-get", args: c.args };
  if (name === "apk" || name === "yum" || name === "dnf" || name === "microdnf" || name === "zypper") return { manager: name, args: c.args };
  if (name === "tdnf") return { manager: "dnf", args: c.args };
  if (/^pip(\d+(\.\d+)?)?$/.test(name)) return { manager: "pip", args: c.args };
  if (/^python(\d+(\.\d+)?)?$/.test(name)) {
    const m = c.args.indexOf("-m");
    if (m >= 0 && /^pip(\d+(\.\d+)?)?$/.test(c.args[m + 1] ?? "")) return { manager: "pip", args: c.args.slice(m + 2) };
  }
  return undefined;
}

/** The action word (`install`, `add`, `update`) and the words after it that are not options. */
export function actionOf(manager: PackageManager, args: readonly string[]): { action: string | undefined; operands: string[] } {
  const takesValue = VALUE_OPTIONS[manager];
  let action: string | undefined;
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") continue;
    if (a.startsWith("-")) {
      if (takesValue.has(a)) i++;
      continue;
    }
    if (action === undefined) action = a;
    else operands.push(a);
  }
  return { action, operands };
}

/** Every package install of a RUN, those in `sh -c` and heredoc scripts included. */
export function installsOf(commands: readonly ShellCommand[]): PackageInstall[] {
  const out: PackageInstall[] = [];
  for (const command of withNested(commands)) {
    const m = managerOf(command);
    if (!m) continue;
    const { action, operands } = actionOf(m.manager, m.args);
    if (action === undefined || !INSTALL_ACTIONS[m.manager].has(action)) continue;
    out.push({ manager: m.manager, command, packages: operands.map((p) => packageName(m.manager, p)).filter((p) => p !== "") });
  }
  return out;
}

/** `gdb=12.1` (apt, apk), `gdb>=1`, `nmap-7.92` (rpm: left whole, matched by prefix elsewhere), `./x.deb` → "". */
function packageName(manager: PackageManager, word: string): string {
  if (word.includes("/") || word.startsWith("$")) return "";
  const name = word.split(/[=<>~![;@]/)[0]!.toLowerCase();
  return manager === "pip" ? name.replace(/_/g, "-") : name;
}

/** The cache mounts of a RUN (`--mount=type=cache,target=…`): their targets never enter the layer. */
export function cacheMountTargets(run: Instruction): string[] {
  const mounts = (run.expandedFlags ?? run.flags).mount ?? [];
  const targets: string[] = [];
  for (const mount of mounts) {
    const fields = new Map(
      mount.split(",").map((f) => {
        const eq = f.indexOf("=");
        return eq < 0 ? [f.trim(), "true"] : [f.slice(0, eq).trim(), f.slice(eq + 1).trim()];
      }),
    );
    if (fields.get("type") !== "cache") continue;
    const target = fields.get("target") ?? fields.get("dst") ?? fields.get("destination");
    if (target) targets.push(target.replace(/\/+$/, ""));
  }
  return targets;
}

/** Whether a path is one of the targets or lies under one. */
function under(path: string, targets: readonly string[]): boolean {
  return targets.some((t) => path === t || path.startsWith(`${t}/`));
}

/** Whether an `rm` of the RUN removes the directory (or what is in it). */
function removes(commands: readonly ShellCommand[], directory: string): boolean {
  return withNested(commands).some((c) => c.name === "rm" && c.args.some((a) => a.replace(/\/?\*?$/, "") === directory || a.startsWith(`${directory}/`)));
}

/** Whether `<manager> clean all` (or the manager's own clean command) runs in the RUN. */
function cleans(commands: readonly ShellCommand[], manager: PackageManager): boolean {
  return withNested(commands).some((c) => {
    const m = managerOf(c);
    if (m?.manager !== manager) return false;
    const { action, operands } = actionOf(manager, m.args);
    if (manager === "zypper") return action === "clean" || action === "cc";
    if (manager === "pip") return action === "cache" && operands[0] === "purge";
    if (manager === "apt-get") return false; // apt-get clean keeps the lists: only removing them counts
    return action === "clean" && operands[0] === "all";
  });
}

/** Where each manager keeps what an install leaves behind. */
const CACHE_DIRECTORIES: Readonly<Record<PackageManager, readonly string[]>> = {
  "apt-get": ["/var/lib/apt/lists"],
  apk: ["/var/cache/apk"],
  yum: ["/var/cache/yum"],
  dnf: ["/var/cache/dnf", "/var/cache/yum"],
  microdnf: ["/var/cache/yum", "/var/cache/dnf"],
  zypper: ["/var/cache/zypp"],
  pip: ["/root/.cache/pip", "/root/.cache"],
};

/** How to clean up after each manager, for fixes. */
export const CLEANUP: Readonly<Record<PackageManager, string>> = {
  "apt-get": "end the same RUN with `&& rm -rf /var/lib/apt/lists/*`",
  apk: "use `apk add --no-cache`",
  yum: "end the same RUN with `&& yum clean all`",
  dnf: "end the same RUN with `&& dnf clean all`",
  microdnf: "end the same RUN with `&& microdnf clean all`",
  zypper: "end the same RUN with `&& zypper clean --all`",
  pip: "use `pip install --no-cache-dir`",
};

/** The ENV values a pip install sees that turn its cache off. */
function pipCacheOff(install: PackageInstall, stage: Stage | undefined): boolean {
  const assigned = install.command.words.some((w) => /^PIP_NO_CACHE_DIR=./.test(w));
  const env = stage?.env.get("PIP_NO_CACHE_DIR");
  return assigned || (env !== undefined && env !== "");
}

/** Whether an install leaves the manager's cache in the RUN's layer. */
export function leavesCache(install: PackageInstall, run: Instruction, commands: readonly ShellCommand[], stage: Stage | undefined): boolean {
  const { manager, command } = install;
  if (manager === "apk" && hasOption(command, undefined, "no-cache")) return false;
  if (manager === "pip" && (hasOption(command, undefined, "no-cache-dir") || pipCacheOff(install, stage))) return false;
  const dirs = CACHE_DIRECTORIES[manager];
  const mounts = cacheMountTargets(run);
  if (dirs.some((d) => under(d, mounts))) return false;
  if (dirs.some((d) => removes(commands, d))) return false;
  return !cleans(commands, manager);
}
