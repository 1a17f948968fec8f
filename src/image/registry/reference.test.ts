import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../../common/index.js";
import { formatReference, manifestReference, parseReference } from "./reference.js";

const DIGEST = "sha256:" + "ab".repeat(32);

test("a bare name is an official Docker Hub image with tag latest", () => {
  assert.deepEqual(parseReference("alpine"), { registry: "registry-1.docker.io", index: "docker.io", repository: "library/alpine", tag: "latest" });
  assert.equal(formatReference(parseReference("alpine")), "docker.io/library/alpine:latest");
});

test("a Docker Hub namespace keeps its path and the hub's older names mean the same registry", () => {
  assert.equal(formatReference(parseReference("bitnami/redis:7.2")), "docker.io/bitnami/redis:7.2");
  for (const spelling of ["docker.io/alpine", "index.docker.io/alpine", "registry-1.docker.io/library/alpine"]) {
    const ref = parseReference(spelling);
    assert.equal(ref.registry, "registry-1.docker.io", spelling);
    assert.equal(formatReference(ref), "docker.io/library/alpine:latest", spelling);
  }
});

test("a first component with a dot, a port or named localhost is a registry host", () => {
  assert.deepEqual(parseReference("localhost:5000/foo:bar"), { registry: "localhost:5000", index: "localhost:5000", repository: "foo", tag: "bar" });
  assert.deepEqual(parseReference("localhost/team/app"), { registry: "localhost", index: "localhost", repository: "team/app", tag: "latest" });
  assert.equal(parseReference("quay.io/prometheus/node-exporter:v1.8.0").registry, "quay.io");
  assert.equal(parseReference("127.0.0.1:5000/a/b/c").repository, "a/b/c");
  assert.equal(parseReference("[::1]:5000/app").registry, "[::1]:5000");
  // Without a dot, port or "localhost" the first component is a Docker Hub namespace.
  assert.equal(formatReference(parseReference("myhost/app")), "docker.io/myhost/app:latest");
});

test("a digest pins the image: alone it has no tag, with a tag both are kept and the digest is fetched", () => {
  const pinned = parseReference(`alpine@${DIGEST}`);
  assert.equal(pinned.tag, undefined);
  assert.equal(pinned.digest, DIGEST);
  assert.equal(formatReference(pinned), `docker.io/library/alpine@${DIGEST}`);
  const both = parseReference(`localhost:5000/app:1.0@${DIGEST}`);
  assert.equal(both.tag, "1.0");
  assert.equal(manifestReference(both), DIGEST);
  assert.equal(manifestReference(parseReference("localhost:5000/app:1.0")), "1.0");
});

test("tags may hold dots, dashes and underscores and must start with a word character", () => {
  assert.equal(parseReference("app:v1.2.3-rc_1").tag, "v1.2.3-rc_1");
  assert.equal(parseReference("app:_x").tag, "_x");
});

const refusals: [string, RegExp][] = [
  ["", /empty/],
  ["Alpine", /must be lowercase/],
  ["localhost:5000/Team/App:1", /must be lowercase/],
  ["alpine:-bad", /tag "-bad" is not valid/],
  ["alpine:" + "x".repeat(129), /tag .* is not valid/],
  ["alpine@sha256:1234", /must have 64 lowercase hex digits/],
  ["alpine@md5:" + "a".repeat(32), /algorithm "md5" is not supported/],
  ["alpine@latest", /not algorithm:hex/],
  ["docker://alpine", /not a URL/],
  ["foo//bar", /component "" is not valid/],
  ["foo/-bar", /component "-bar" is not valid/],
  ["a:b:c", /no repository name after the registry host/],
  ["bad_host.example:5000x/app", /registry host .* is not a valid host/],
  ["al pine", /whitespace/],
  [":tag", /no repository name/],
  ["a".repeat(64).replace(/a/g, "f"), /image ID/],
  ["example.com/" + "a".repeat(260), /longer than 255/],
];

for (const [text, why] of refusals) {
  test(`refuses ${JSON.stringify(text.length > 40 ? text.slice(0, 40) + "…" : text)} and names the reference`, () => {
    assert.throws(
      () => parseReference(text),
      (err: unknown) => err instanceof InputError && err.source === `image reference "${text}"` && why.test(err.detail),
    );
  });
}
