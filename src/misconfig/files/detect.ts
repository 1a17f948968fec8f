/**
 * What kind of configuration a file is, so `portcullis config` runs the right
 * checks without being told. Names decide first, as Docker, Compose and
 * Kubernetes tools name these files; a YAML or JSON file whose name says
 * nothing is a Kubernetes manifest when it declares `apiVersion` and `kind`
 * at the top level of some document. Every text file is also scanned for
 * secrets, whatever its type.
 */
import { basename, extname } from "node:path";

export type ConfigType = "dockerfile" | "compose" | "kubernetes" | "other";

export const CONFIG_TYPES: readonly ConfigType[] = ["dockerfile", "compose", "kubernetes", "other"];

/** `Dockerfile`, `Containerfile`, `Dockerfile.prod`, `prod.Dockerfile`, `app.dockerfile`. */
export function isDockerfileName(name: string): boolean {
  const lower = name.toLowerCase();
  return /^(dockerfile|containerfile)([.-][\w.-]+)?$/.test(lower) || /\.(dockerfile|containerfile)$/.test(lower);
}

/** `compose.yaml`, `docker-compose.yml`, `docker-compose.prod.yml`, `compose.override.yaml`. */
export function isComposeName(name: string): boolean {
  return /^(docker-)?compose(\.[\w-]+)*\.ya?ml$/i.test(name);
}

const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);
/** A top-level `kind:` and `apiVersion:` (YAML) or `"kind":` and `"apiVersion":` (JSON) anywhere in the text. */
const YAML_KIND = /^kind\s*:/m;
const YAML_API = /^apiVersion\s*:/m;
const JSON_KIND = /"kind"\s*:/;
const JSON_API = /"apiVersion"\s*:/;

/** The file's type from its name and, for YAML and JSON, a look at its text. */
export function detectType(path: string, text: string): ConfigType {
  const name = basename(path);
  if (isDockerfileName(name)) return "dockerfile";
  if (isComposeName(name)) return "compose";
  const ext = extname(name).toLowerCase();
  if (!MANIFEST_EXTENSIONS.has(ext)) return "other";
  if (ext === ".json") return JSON_KIND.test(text) && JSON_API.test(text) ? "kubernetes" : "other";
  return YAML_KIND.test(text) && YAML_API.test(text) ? "kubernetes" : "other";
}
