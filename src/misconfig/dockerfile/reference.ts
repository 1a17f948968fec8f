/**
 * Image references as FROM names them: `[registry/]repository[:tag][@digest]`,
 * read with Docker's grammar and normalisation (Docker Hub is `docker.io`,
 * its one-part names live under `library/`), so rules can tell a pinned
 * digest from a floating tag and an implicit `latest` from a written one.
 */

export const DEFAULT_REGISTRY = "docker.io";
/** Docker's limit on the length of a repository name, registry included. */
const MAX_NAME_LENGTH = 255;

export interface ImageReference {
  /** The reference as given. */
  readonly text: string;
  /** The registry host (and port): "docker.io" when none is written. */
  readonly registry: string;
  /** Whether the registry is written in the reference. */
  readonly explicitRegistry: boolean;
  /** The repository path within the registry: "library/alpine" for "alpine". */
  readonly repository: string;
  /** The tag as written; absent when none is written (Docker then pulls "latest" unless a digest is given). */
  readonly tag?: string;
  /** The digest as written ("sha256:…"). */
  readonly digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const IMAGE_ID = /^[a-f0-9]{64}$/;

/** The reference's parts, or undefined when Docker would reject it ("invalid reference format"). */
export function parseImageReference(text: string): ImageReference | undefined {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  if (rest === "" || rest.length > MAX_NAME_LENGTH) return undefined;
  const slash = rest.indexOf("/");
  const first = slash < 0 ? "" : rest.slice(0, slash);
  // Docker reads the first part as a registry when it looks like a host: a dot, a port, "localhost", or capitals.
  const hasRegistry = slash >= 0 && (/[.:]/.test(first) || first === "localhost" || first !== first.toLowerCase());
  let registry = hasRegistry ? first : DEFAULT_REGISTRY;
  let repository = hasRegistry ? rest.slice(slash + 1) : rest;
  if (hasRegistry && !DOMAIN.test(registry)) return undefined;
  if (!repository.split("/").every((part) => PATH_COMPONENT.test(part))) return undefined;
  if (registry === "index.docker.io") registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && !repository.includes("/")) {
    // A bare 64-hex name is an image ID, not a repository.
    if (!hasRegistry && IMAGE_ID.test(repository)) return undefined;
    repository = `library/${repository}`;
  }
  return {
    text,
    registry,
    explicitRegistry: hasRegistry,
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** True when the reference floats on "latest": not pinned by digest, and tagged "latest" or not tagged (a digest wins over any tag). */
export function isLatest(ref: ImageReference): boolean {
  return ref.digest === undefined && (ref.tag === undefined || ref.tag === "latest");
}
