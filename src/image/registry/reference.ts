/**
 * Image references ("alpine", "localhost:5000/team/app:1.2@sha256:…") parsed and
 * normalised the way Docker and Podman do: a first component with a dot, a
 * colon or equal to "localhost" is a registry host, otherwise the image is on
 * Docker Hub, whose official images live under "library/".
 *
 * Our own code because the grammar is small and the npm parsers we looked at
 * either skip the Docker Hub normalisation or give errors without the input.
 */
import { InputError } from "../../common/index.js";

/** Docker Hub: the name used in references and credential files, and the host that serves its API. */
export const DOCKER_HUB_INDEX = "docker.io";
export const DOCKER_HUB_REGISTRY = "registry-1.docker.io";
/** Older spellings of Docker Hub that mean the same registry. */
const DOCKER_HUB_ALIASES = new Set([DOCKER_HUB_INDEX, "index.docker.io", DOCKER_HUB_REGISTRY]);

export interface ImageReference {
  /** Host (and port) to talk to: "registry-1.docker.io", "localhost:5000". */
  registry: string;
  /** The registry as people name it, for credentials and display: "docker.io", "localhost:5000". */
  index: string;
  /** "library/alpine", "team/app". */
  repository: string;
  /** Absent only when the reference is pinned by digest alone. */
  tag?: string;
  /** "sha256:…"; when present it wins over the tag. */
  digest?: string;
}

const MAX_NAME_LENGTH = 255;
const MAX_REFERENCE_LENGTH = 1024;
const HOST_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[0-9a-fA-F:.]+\](?::[0-9]{1,5})?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST_HEX: Record<string, number> = { sha256: 64, sha512: 128 };

/** Is this a valid "host[:port]" (DNS name, IPv4 or bracketed IPv6)? */
function isHost(text: string): boolean {
  if (IPV6_HOST.test(text)) return true;
  const m = /^([^:]+)(?::([0-9]{1,5}))?$/.exec(text);
  return !!m && m[1]!.split(".").every((c) => HOST_COMPONENT.test(c));
}

/** Does the first path component name a registry rather than a Docker Hub namespace? */
function looksLikeHost(component: string): boolean {
  return component.includes(".") || component.includes(":") || component === "localhost" || component !== component.toLowerCase();
}

export function parseReference(text: string): ImageReference {
  const fail = (detail: string): never => {
    throw new InputError(`image reference "${text}"`, undefined, detail);
  };
  if (text === "") fail("empty");
  if (text.length > MAX_REFERENCE_LENGTH) fail(`longer than ${MAX_REFERENCE_LENGTH} characters`);
  if (/\s/.test(text)) fail("contains whitespace");
  if (text.includes("://")) fail("a reference is [host[:port]/]repository[:tag][@digest], not a URL");

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const m = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/.exec(digest);
    if (!m) fail(`digest "${digest}" is not algorithm:hex (e.g. sha256:<64 hex digits>)`);
    const want = DIGEST_HEX[m![1]!];
    if (want === undefined) fail(`digest algorithm "${m![1]}" is not supported (sha256 or sha512)`);
    if (!new RegExp(`^[a-f0-9]{${want}}$`).test(m![2]!)) fail(`digest "${digest}" must have ${want} lowercase hex digits`);
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) fail(`tag "${tag}" is not valid (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-")`);
  }
  if (rest === "") fail("no repository name");

  let index = DOCKER_HUB_INDEX;
  let path = rest;
  const slash = rest.indexOf("/");
  if (slash >= 0 && looksLikeHost(rest.slice(0, slash))) {
    index = rest.slice(0, slash);
    path = rest.slice(slash + 1);
    if (!isHost(index)) fail(`registry host "${index}" is not a valid host[:port]`);
  } else if (slash < 0 && rest.includes(":")) {
    // Only "host:port" can leave a colon here ("localhost:5000" with no repository).
    fail("no repository name after the registry host");
  }
  if (DOCKER_HUB_ALIASES.has(index.toLowerCase())) index = DOCKER_HUB_INDEX;

  const components = path.split("/");
  for (const c of components) {
    if (PATH_COMPONENT.test(c)) continue;
    if (PATH_COMPONENT.test(c.toLowerCase())) fail(`repository name "${path}" must be lowercase`);
    fail(`repository name component "${c}" is not valid (lowercase letters and digits, separated by ".", "_", "__" or "-")`);
  }
  if (index === DOCKER_HUB_INDEX && components.length === 1) {
    if (/^[a-f0-9]{64}$/.test(path)) fail("a 64-hex-digit name is an image ID, not a repository (use the docker: transport for local images)");
    path = `library/${path}`;
  }
  if (index.length + 1 + path.length > MAX_NAME_LENGTH) fail(`name longer than ${MAX_NAME_LENGTH} characters`);

  return {
    registry: index === DOCKER_HUB_INDEX ? DOCKER_HUB_REGISTRY : index,
    index,
    repository: path,
    ...(tag !== undefined || digest === undefined ? { tag: tag ?? "latest" } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** The fully qualified form: "docker.io/library/alpine:latest", "localhost:5000/app@sha256:…". */
export function formatReference(ref: ImageReference): string {
  return `${ref.index}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ""}${ref.digest !== undefined ? `@${ref.digest}` : ""}`;
}

/** What to ask the registry for: the digest when pinned, else the tag. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? "latest";
}
