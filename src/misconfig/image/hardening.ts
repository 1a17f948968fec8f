/**
 * The facts of an image's own risk, from its final filesystem and layers:
 * the user it runs as, the tools it ships (with the bytes each adds and the
 * layer that added it), setuid/setgid and world-writable paths, package
 * manager caches left behind, and what each layer weighs. Facts only: the
 * rules decide what is a finding.
 */
import { layerId, type ImageFile, type ImageLayer, type ImageSubject } from "./subject.js";
import { PROGRAM_DIRS, TOOLS, type ToolCategory } from "./tools.js";

export interface ShippedTool {
  tool: string;
  category: ToolCategory;
  /** The program paths found, as a user would type them: /usr/bin/apt, /usr/bin/apt-get. */
  programs: string[];
  /** Bytes of its program files plus its own data directories. */
  bytes: number;
  /** The layer that added its first program (diff id), and that layer's index. */
  layer?: string;
  layerIndex: number;
}

export interface SpecialPath {
  path: string;
  kind: "file" | "directory";
  /** Octal, with the special bits: "4755". */
  mode: string;
  bytes: number;
  layer?: string;
}

export interface LayerWeight {
  index: number;
  digest: string;
  diffId?: string;
  createdBy?: string;
  files: number;
  bytes: number;
  /** The directories (two levels deep) holding most of the layer's bytes, largest first. */
  largest: { path: string; bytes: number }[];
}

export interface ImageHardening {
  /** The configured user, "" when none is set (root). */
  user: string;
  /** Bytes of regular files in all layers, deleted later or not. */
  bytes: number;
  layers: LayerWeight[];
  attackSurface: ShippedTool[];
  setuid: SpecialPath[];
  worldWritable: SpecialPath[];
  /** Package manager caches in the final filesystem, with their bytes. */
  packageCaches: { path: string; bytes: number; layer?: string }[];
}

/** Caches package managers leave unless the same step removes them. */
export const PACKAGE_CACHES: readonly string[] = ["/var/lib/apt/lists", "/var/cache/apt", "/var/cache/apk", "/var/cache/yum", "/var/cache/dnf", "/root/.cache/pip", "/root/.npm", "/usr/local/share/.cache/yarn"];

const LARGEST_SHOWN = 5;

function isUnder(path: string, dir: string): boolean {
  return path.startsWith(dir) && (path.length === dir.length || path.charCodeAt(dir.length) === 47);
}

function isFile(f: ImageFile): boolean {
  return f.kind === "f" || f.kind === "h";
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}

function special(path: string, f: ImageFile, layers: readonly ImageLayer[]): SpecialPath {
  return { path, kind: f.kind === "d" ? "directory" : "file", mode: octal(f.mode), bytes: f.size, ...optionalLayer(layers[f.layer]) };
}

function optionalLayer(layer: ImageLayer | undefined): { layer?: string } {
  const id = layerId(layer);
  return id === undefined ? {} : { layer: id };
}

/** Each tool whose programs are in the final filesystem; a program reached through a symlink counts for the file it reaches, once. */
function shippedTools(subject: ImageSubject): ShippedTool[] {
  const claimed = new Set<string>();
  const found: (ShippedTool & { data: readonly string[] })[] = [];
  for (const spec of TOOLS) {
    let tool: (ShippedTool & { data: readonly string[] }) | undefined;
    for (const name of spec.programs) {
      for (const dir of PROGRAM_DIRS) {
        const path = `${dir}/${name}`;
        const real = subject.resolve(path);
        const file = subject.files.get(real);
        if (file === undefined || !isFile(file) || (file.mode & 0o111) === 0 || claimed.has(real)) continue;
        claimed.add(real);
        tool ??= { tool: spec.tool, category: spec.category, programs: [], bytes: 0, layerIndex: file.layer, ...optionalLayer(subject.layers[file.layer]), data: spec.data ?? [] };
        tool.programs.push(path);
        tool.bytes += file.size;
      }
    }
    if (tool) found.push(tool);
  }
  // One pass over the filesystem for every shipped tool's data directories.
  const dirs = found.flatMap((t) => t.data.map((dir) => ({ dir, tool: t })));
  if (dirs.length > 0) {
    for (const [path, file] of subject.files) {
      if (!isFile(file) || claimed.has(path)) continue;
      for (const { dir, tool } of dirs) if (isUnder(path, dir)) tool.bytes += file.size;
    }
  }
  return found.map(({ data: _data, ...tool }) => tool);
}

function layerWeights(layers: readonly ImageLayer[]): LayerWeight[] {
  return layers.map((layer, index) => {
    let files = 0;
    let bytes = 0;
    const byDir = new Map<string, number>();
    for (let i = 0; i < layer.paths.length; i++) {
      if (layer.kinds[i] !== "f") continue;
      const size = layer.sizes[i]!;
      files++;
      bytes += size;
      const path = layer.paths[i]!;
      const second = path.indexOf("/", path.indexOf("/", 1) + 1);
      const slash = path.lastIndexOf("/");
      const dir = second > 0 ? path.slice(0, second) : slash > 0 ? path.slice(0, slash) : "/";
      byDir.set(dir, (byDir.get(dir) ?? 0) + size);
    }
    const largest = [...byDir]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, LARGEST_SHOWN)
      .filter(([, size]) => size > 0)
      .map(([path, size]) => ({ path, bytes: size }));
    return { index, digest: layer.digest, ...(layer.diffId ? { diffId: layer.diffId } : {}), ...(layer.createdBy ? { createdBy: layer.createdBy } : {}), files, bytes, largest };
  });
}

export function hardeningOf(subject: ImageSubject): ImageHardening {
  const setuid: SpecialPath[] = [];
  const worldWritable: SpecialPath[] = [];
  const caches = new Map<string, { bytes: number; layer: number }>();
  for (const [path, f] of subject.files) {
    if (isFile(f)) {
      if (f.mode & 0o6000) setuid.push(special(path, f, subject.layers));
      if (f.mode & 0o002) worldWritable.push(special(path, f, subject.layers));
      if (f.size > 0) {
        for (const dir of PACKAGE_CACHES) {
          if (!isUnder(path, dir)) continue;
          const c = caches.get(dir) ?? { bytes: 0, layer: f.layer };
          c.bytes += f.size;
          c.layer = Math.max(c.layer, f.layer);
          caches.set(dir, c);
        }
      }
    } else if (f.kind === "d" && f.mode & 0o002 && !(f.mode & 0o1000)) {
      // A sticky world-writable directory (/tmp) is the norm: only its owners may remove what is in it.
      worldWritable.push(special(path, f, subject.layers));
    }
  }
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const layers = layerWeights(subject.layers);
  return {
    user: subject.config.User ?? "",
    bytes: layers.reduce((sum, l) => sum + l.bytes, 0),
    layers,
    attackSurface: shippedTools(subject),
    setuid: setuid.sort(byPath),
    worldWritable: worldWritable.sort(byPath),
    packageCaches: [...caches].map(([path, c]) => ({ path, bytes: c.bytes, ...optionalLayer(subject.layers[c.layer]) })).sort(byPath),
  };
}
