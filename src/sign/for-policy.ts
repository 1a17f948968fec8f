/**
 * The signatures a policy's signedBy rules judge: every signature and scan
 * attestation of the image's digest that verifies with one of the policy's
 * named keys. Only a registry image has a place to keep them; for anything
 * else, or when the registry cannot be read, the list is empty (the rule then
 * denies) and the reason is returned to show in the verdict.
 */
import type { KeyObject } from "node:crypto";
import { messageOf, shortDigest } from "../common/index.js";
import { parseManifestOrIndex } from "../image/index.js";
import type { PolicySignature, PolicyTarget } from "../policy/index.js";
import { clientFor, verifyImage, type RegistryAccess } from "./image-signing.js";

export async function policySignatures(
  target: PolicyTarget,
  keys: readonly { name: string; key: KeyObject }[],
  access: RegistryAccess,
  now: Date,
): Promise<{ signatures: PolicySignature[]; warning?: string }> {
  if (!target.registry || !target.repository || !target.digest) {
    return { signatures: [], warning: `signatures not looked up: ${target.reference} is not an image in a registry with a known digest` };
  }
  try {
    const signatures: PolicySignature[] = [];
    const digests = [target.digest];
    // A multi-platform image is usually signed at its index (what a deployment names): the index's
    // signatures count once the index itself is shown to list this manifest.
    if (target.indexDigest) {
      const indexClient = clientFor(`${target.registry}/${target.repository}@${target.indexDigest}`, access);
      const fetched = await indexClient.manifest(target.indexDigest);
      const doc = parseManifestOrIndex(fetched.bytes.toString("utf8"), `${indexClient.label} index`, fetched.mediaType);
      if (doc.kind !== "index" || !doc.index.manifests.some((m) => m.digest === target.digest)) return { signatures: [], warning: `the index ${shortDigest(target.indexDigest)} does not list ${shortDigest(target.digest)}: its signatures do not count` };
      digests.push(target.indexDigest);
    }
    for (const digest of digests) {
      const client = clientFor(`${target.registry}/${target.repository}@${digest}`, access);
      const { byKey } = await verifyImage(client, keys.map((k) => k.key), now);
      byKey.forEach((v, i) => {
        const name = keys[i]!.name;
        for (const s of v.signatures) if (s.valid) signatures.push({ key: name, kind: "signature" });
        for (const a of v.attestations) {
          if (!a.valid || !a.createdAt) continue;
          // A risk score speaks for the manifest that was scanned, not for the index's other platforms.
          const own = a.riskScore !== undefined && (a.scannedDigest === undefined || a.scannedDigest === target.digest);
          signatures.push({ key: name, kind: "attestation", created: a.createdAt, ...(own ? { riskScore: a.riskScore } : {}) });
        }
      });
    }
    return { signatures };
  } catch (err) {
    return { signatures: [], warning: `signatures not looked up: ${messageOf(err)}` };
  }
}
