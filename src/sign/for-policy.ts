/**
 * The signatures a policy's signedBy rules judge: every signature and scan
 * attestation of the image's digest that verifies with one of the policy's
 * named keys. Only a registry image has a place to keep them; for anything
 * else, or when the registry cannot be read, the list is empty (the rule then
 * denies) and the reason is returned to show in the verdict.
 */
import type { KeyObject } from "node:crypto";
import { messageOf } from "../common/index.js";
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
    // A multi-platform image is usually signed at its index (what a deployment names): either digest counts.
    for (const digest of [target.digest, ...(target.indexDigest ? [target.indexDigest] : [])]) {
      const client = clientFor(`${target.registry}/${target.repository}@${digest}`, access);
      const { byKey } = await verifyImage(client, keys.map((k) => k.key), now);
      byKey.forEach((v, i) => {
        const name = keys[i]!.name;
        for (const s of v.signatures) if (s.valid) signatures.push({ key: name, kind: "signature" });
        for (const a of v.attestations) {
          if (a.valid && a.createdAt) signatures.push({ key: name, kind: "attestation", created: a.createdAt, ...(a.riskScore !== undefined ? { riskScore: a.riskScore } : {}) });
        }
      });
    }
    return { signatures };
  } catch (err) {
    return { signatures: [], warning: `signatures not looked up: ${messageOf(err)}` };
  }
}
