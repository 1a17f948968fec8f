/**
 * The image each container runs: a floating `latest` (or no tag), a tag
 * without a digest, and a registry outside the user's trusted list. Image
 * references are read with Docker's grammar (docker.io and library/ implied),
 * so `nginx` and `docker.io/library/nginx:latest` are the same image.
 */
import { parseImageReference, type ImageReference } from "../../dockerfile/index.js";
import type { Container } from "../workloads.js";
import { containerRule, containerText, hitAt } from "./rule.js";

const IMAGES = "https://kubernetes.io/docs/concepts/containers/images/";

/** The container's image, parsed, with its keys; undefined when absent or not a valid reference. */
function imageOf(c: Container): ImageReference | undefined {
  return c.image === undefined ? undefined : parseImageReference(c.image.trim());
}

export const latestTag = containerRule({
  id: "PCS-K8S-024",
  title: "Image uses the latest tag or no tag",
  severity: "medium",
  why: "`latest` (or no tag, which means latest) points at whatever was pushed last: two nodes can run different code, a rollback cannot go back, and imagePullPolicy defaults to Always.",
  remediation: "Refer to the image by a version tag and, better, by digest (`image: registry/app:1.4.2@sha256:…`).",
  references: [IMAGES],
  mappings: { trivy: ["KSV-0013"], checkov: ["CKV_K8S_14"], kubeLinter: ["latest-tag"] },
  checkContainer(c, w) {
    const ref = imageOf(c);
    if (!ref || ref.digest !== undefined || (ref.tag !== undefined && ref.tag !== "latest")) return [];
    const what = ref.tag === undefined ? "has no tag, so it means latest" : "uses the latest tag";
    return [hitAt(w.object, [...c.keys, "image"], `image ${c.image!} ${what} (${containerText(c)})`, { description: "pin the image to a version tag and its digest", keys: [...c.keys, "image"] }, c)];
  },
});

export const notPinnedByDigest = containerRule({
  id: "PCS-K8S-025",
  title: "Image is not pinned by digest",
  severity: "low",
  why: "A tag can be moved to another image at any time, by the publisher or by whoever gets write access to the registry; only a digest names exactly the image that was reviewed and scanned.",
  remediation: "Add the digest to the reference (`image: registry/app:1.4.2@sha256:…`), and let a bot such as Renovate keep it current.",
  references: [IMAGES],
  mappings: { checkov: ["CKV_K8S_43"], kubescape: ["C-0306"] },
  checkContainer(c, w) {
    const ref = imageOf(c);
    // A floating latest is PCS-K8S-024's finding; pinning a digest fixes both.
    if (!ref || ref.digest !== undefined || ref.tag === undefined || ref.tag === "latest") return [];
    return [hitAt(w.object, [...c.keys, "image"], `image ${c.image!} is referenced by tag ${ref.tag} without a digest (${containerText(c)})`, { description: `append the digest of ${ref.tag} to the image reference (@sha256:…)`, keys: [...c.keys, "image"] }, c)];
  },
});

/** A trusted-registry entry as a registry host and an optional repository prefix: "ghcr.io/acme" → ["ghcr.io", "acme"]. */
function trustEntry(entry: string): [string, string] {
  const clean = entry.trim().replace(/^[a-z]+:\/\//i, "").replace(/\/+$/, "");
  const slash = clean.indexOf("/");
  let host = (slash < 0 ? clean : clean.slice(0, slash)).toLowerCase();
  if (host === "index.docker.io" || host === "registry-1.docker.io") host = "docker.io";
  return [host, slash < 0 ? "" : clean.slice(slash + 1)];
}

/** Whether the image comes from one of the trusted registries (a host, or a host and a repository prefix). */
export function fromTrustedRegistry(ref: ImageReference, trusted: readonly string[]): boolean {
  return trusted.some((entry) => {
    const [host, prefix] = trustEntry(entry);
    if (ref.registry.toLowerCase() !== host) return false;
    return prefix === "" || ref.repository === prefix || ref.repository.startsWith(`${prefix}/`);
  });
}

export const untrustedRegistry = containerRule({
  id: "PCS-K8S-026",
  title: "Image comes from a registry that is not trusted",
  severity: "medium",
  why: "Images from registries outside the ones the organisation controls or vets have not been through its scanning and signing, and can change without review.",
  remediation: "Mirror the image into a trusted registry (after scanning it) and refer to it there; the trusted registries are a scan option.",
  references: [IMAGES],
  mappings: { trivy: ["KSV-0125"], kubescape: ["C-0078"] },
  checkContainer(c, w, scan) {
    const trusted = scan.options.trustedRegistries ?? [];
    const ref = imageOf(c);
    if (trusted.length === 0 || !ref || fromTrustedRegistry(ref, trusted)) return [];
    const where = ref.explicitRegistry ? ref.registry : `${ref.registry} (implied)`;
    return [hitAt(w.object, [...c.keys, "image"], `image ${c.image!} comes from ${where}, which is not among the trusted registries (${containerText(c)})`, { description: `pull the image from one of: ${trusted.join(", ")}`, keys: [...c.keys, "image"] }, c)];
  },
});
