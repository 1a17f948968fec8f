/**
 * The signature store's bookkeeping, over an in-memory registry (the wire
 * protocol is covered end to end in test/e2e/sign.e2e.test.ts): cosign's tag
 * names, appending to the tagged manifest without repeats, reading the tag
 * and the referrers as one list, and the limit on referrers.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { Descriptor, RegistryClient, Referrer } from "../image/index.js";
import { readItems, SIGNATURE_ANNOTATION, SIGNATURE_ARTIFACT_TYPE, tagFor, writeItem, type Subject } from "./store.js";

const sha = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
const SUBJECT: Subject = { digest: `sha256:${"c".repeat(64)}`, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 512 };

/**
 * Blobs, manifests by tag and digest, and (when `referrersApi`) the referrers
 * of each subject. `afterPush` runs after each tag push, to play another writer.
 */
function memoryRegistry(referrersApi: boolean, afterPush?: (tag: string, manifests: Map<string, Buffer>) => void) {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, Buffer>();
  const referrers = new Map<string, Referrer[]>();
  const client = {
    label: "registry:mem/app",
    async pushBlob(bytes: Buffer) {
      blobs.set(sha(bytes), bytes);
      return sha(bytes);
    },
    async pushManifest(tag: string | undefined, bytes: Buffer) {
      const digest = sha(bytes);
      manifests.set(digest, bytes);
      if (tag !== undefined) {
        manifests.set(tag, bytes);
        afterPush?.(tag, manifests);
      }
      const doc = JSON.parse(bytes.toString()) as { subject?: { digest: string }; artifactType?: string; mediaType: string };
      if (doc.subject && referrersApi) {
        const list = referrers.get(doc.subject.digest) ?? [];
        if (!list.some((r) => r.digest === digest)) list.push({ mediaType: doc.mediaType, digest, size: bytes.length, artifactType: doc.artifactType });
        referrers.set(doc.subject.digest, list);
      }
      return { digest };
    },
    async manifestIfAny(reference: string) {
      const bytes = manifests.get(reference);
      return bytes ? { bytes, mediaType: undefined, digest: sha(bytes) } : undefined;
    },
    async manifest(reference: string) {
      const found = await client.manifestIfAny(reference);
      if (!found) throw new Error(`no manifest ${reference}`);
      return found;
    },
    async referrers(digest: string) {
      return referrersApi ? (referrers.get(digest) ?? []) : undefined;
    },
    async blobBytes(desc: Descriptor) {
      return blobs.get(desc.digest)!;
    },
  };
  return { client: client as unknown as RegistryClient, manifests, referrers };
}

const layersUnder = (manifests: Map<string, Buffer>, tag: string) => (JSON.parse(manifests.get(tag)!.toString()) as { layers: Descriptor[] }).layers;

describe("tagFor", () => {
  test("is cosign's tag: the digest with a dash, and .sig or .att", () => {
    assert.equal(tagFor(`sha256:${"a".repeat(64)}`, "signature"), `sha256-${"a".repeat(64)}.sig`);
    assert.equal(tagFor(`sha256:${"a".repeat(64)}`, "attestation"), `sha256-${"a".repeat(64)}.att`);
  });
});

describe("writeItem", () => {
  test("appends each new signature as a layer under the tag, and skips one already there", async () => {
    const { client, manifests } = memoryRegistry(false);
    const tag = tagFor(SUBJECT.digest, "signature");
    const first = await writeItem(client, SUBJECT, "signature", Buffer.from("payload"), { [SIGNATURE_ANNOTATION]: "c2lnMQ==" });
    assert.deepEqual([first.added, first.referrer], [true, undefined]);
    await writeItem(client, SUBJECT, "signature", Buffer.from("payload"), { [SIGNATURE_ANNOTATION]: "c2lnMg==" });
    const again = await writeItem(client, SUBJECT, "signature", Buffer.from("payload"), { [SIGNATURE_ANNOTATION]: "c2lnMQ==" });
    assert.equal(again.added, false);
    assert.deepEqual(layersUnder(manifests, tag).map((l) => l.annotations?.[SIGNATURE_ANNOTATION]), ["c2lnMQ==", "c2lnMg=="]);
    const config = JSON.parse(manifests.get(tag)!.toString()) as { config: { mediaType: string } };
    assert.equal(config.config.mediaType, "application/vnd.oci.image.config.v1+json");
  });

  test("an equivalent stored layer (the caller says so) counts as already there", async () => {
    const { client, manifests } = memoryRegistry(false);
    await writeItem(client, SUBJECT, "signature", Buffer.from("payload"), { [SIGNATURE_ANNOTATION]: "b2xk" });
    const r = await writeItem(client, SUBJECT, "signature", Buffer.from("payload"), { [SIGNATURE_ANNOTATION]: "bmV3" }, (l) => l.annotations?.[SIGNATURE_ANNOTATION] === "b2xk");
    assert.equal(r.added, false);
    assert.equal(layersUnder(manifests, tagFor(SUBJECT.digest, "signature")).length, 1);
  });

  test("another writer replacing the tag at the same moment does not lose this signature", async () => {
    let raced = false;
    const { client, manifests } = memoryRegistry(false, (tag, all) => {
      if (raced) return;
      raced = true;
      // The other writer read the tag before our push and now pushes its own list over ours.
      all.set(tag, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: `sha256:${"0".repeat(64)}`, size: 2 }, layers: [{ mediaType: "application/vnd.dev.cosign.simplesigning.v1+json", digest: `sha256:${"1".repeat(64)}`, size: 3, annotations: { [SIGNATURE_ANNOTATION]: "b3RoZXI=" } }] })));
    });
    const r = await writeItem(client, SUBJECT, "signature", Buffer.from("mine"), { [SIGNATURE_ANNOTATION]: "bWluZQ==" });
    assert.equal(r.added, true);
    assert.deepEqual(layersUnder(manifests, tagFor(SUBJECT.digest, "signature")).map((l) => l.annotations?.[SIGNATURE_ANNOTATION]), ["b3RoZXI=", "bWluZQ=="]);
  });

  test("a full store: the 257th signature is refused, the oldest attestation makes room for a new one", async () => {
    const { client, manifests } = memoryRegistry(false);
    for (const kind of ["signature", "attestation"] as const) {
      const layers = Array.from({ length: 256 }, (_, i) => ({ mediaType: kind === "signature" ? "application/vnd.dev.cosign.simplesigning.v1+json" : "application/vnd.dsse.envelope.v1+json", digest: `sha256:${i.toString(16).padStart(64, "0")}`, size: 1, annotations: { [SIGNATURE_ANNOTATION]: String(i) } }));
      manifests.set(tagFor(SUBJECT.digest, kind), Buffer.from(JSON.stringify({ schemaVersion: 2, config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: `sha256:${"0".repeat(64)}`, size: 2 }, layers })));
    }
    await assert.rejects(writeItem(client, SUBJECT, "signature", Buffer.from("p"), { [SIGNATURE_ANNOTATION]: "new" }), /holds 256 signatures already, the most this store reads: remove old ones first/);
    await writeItem(client, SUBJECT, "attestation", Buffer.from("e"), { [SIGNATURE_ANNOTATION]: "" });
    const kept = layersUnder(manifests, tagFor(SUBJECT.digest, "attestation"));
    assert.equal(kept.length, 256);
    assert.equal(kept[0]!.annotations?.[SIGNATURE_ANNOTATION], "1", "the oldest went");
    assert.equal(kept[255]!.digest, sha(Buffer.from("e")));
  });

  test("with the referrers API, also pushes a referrer with the image as subject, once", async () => {
    const { client, referrers } = memoryRegistry(true);
    const a = await writeItem(client, SUBJECT, "signature", Buffer.from("payload"), { [SIGNATURE_ANNOTATION]: "c2ln" });
    const b = await writeItem(client, SUBJECT, "signature", Buffer.from("payload"), { [SIGNATURE_ANNOTATION]: "c2ln" });
    assert.ok(a.referrer);
    assert.equal(b.referrer, a.referrer);
    assert.deepEqual(referrers.get(SUBJECT.digest)!.map((r) => r.artifactType), [SIGNATURE_ARTIFACT_TYPE]);
  });
});

describe("readItems", () => {
  test("reads the tag and the referrers as one list without repeats, each blob with its signature", async () => {
    const { client } = memoryRegistry(true);
    await writeItem(client, SUBJECT, "signature", Buffer.from("one"), { [SIGNATURE_ANNOTATION]: "MQ==" });
    await writeItem(client, SUBJECT, "signature", Buffer.from("two"), { [SIGNATURE_ANNOTATION]: "Mg==" });
    const items = await readItems(client, SUBJECT.digest, "signature");
    assert.deepEqual(items.map((i) => [i.blob.toString(), i.signature, i.source]), [
      ["one", "MQ==", tagFor(SUBJECT.digest, "signature")],
      ["two", "Mg==", tagFor(SUBJECT.digest, "signature")],
    ]);
    assert.deepEqual(await readItems(client, SUBJECT.digest, "attestation"), []);
  });

  test("refuses to fetch more than 256 referrers of one kind", async () => {
    const { client, referrers } = memoryRegistry(true);
    referrers.set(SUBJECT.digest, Array.from({ length: 257 }, (_, i) => ({ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: `sha256:${i.toString(16).padStart(64, "0")}`, size: 1, artifactType: SIGNATURE_ARTIFACT_TYPE })));
    await assert.rejects(readItems(client, SUBJECT.digest, "signature"), /registry:mem\/app referrers of sha256:cccccccccccc: more than 256 signature referrers/);
  });
});
