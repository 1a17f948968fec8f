/**
 * Image references as FROM names them, read with Docker's grammar and
 * normalisation.
 */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { isLatest, parseImageReference } from "./reference.js";

const DIGEST = "sha256:6ec5aa99dc335666e79dc64e4a6c8b89c33a543a1967f20d360922a80dd21f02";

describe("image references", () => {
  it("puts a one-part Docker Hub name under library/ on docker.io", () => {
    assert.deepEqual(parseImageReference("alpine"), { text: "alpine", registry: "docker.io", explicitRegistry: false, repository: "library/alpine" });
    assert.deepEqual(parseImageReference("python:3.12-slim"), {
      text: "python:3.12-slim",
      registry: "docker.io",
      explicitRegistry: false,
      repository: "library/python",
      tag: "3.12-slim",
    });
  });

  it("keeps a user's Docker Hub repository as written", () => {
    assert.equal(parseImageReference("bitnami/redis:7.2")?.repository, "bitnami/redis");
    assert.equal(parseImageReference("bitnami/redis:7.2")?.registry, "docker.io");
  });

  it("reads the first part as a registry when it has a dot, a port, is localhost, or has capitals", () => {
    const registry = (ref: string): [string, string] | undefined => {
      const r = parseImageReference(ref);
      return r && [r.registry, r.repository];
    };
    assert.deepEqual(registry("gcr.io/distroless/static-debian12:nonroot"), ["gcr.io", "distroless/static-debian12"]);
    assert.deepEqual(registry("localhost:5000/team/app:1.0"), ["localhost:5000", "team/app"]);
    assert.deepEqual(registry("localhost/app"), ["localhost", "app"]);
    assert.deepEqual(registry("[::1]:5000/app"), ["[::1]:5000", "app"]);
    assert.deepEqual(registry("Registry/app"), ["Registry", "app"]);
    assert.deepEqual(registry("docker.io/library/alpine"), ["docker.io", "library/alpine"]);
    assert.deepEqual(registry("index.docker.io/nginx"), ["docker.io", "library/nginx"]);
  });

  it("separates tag and digest, a port not being a tag", () => {
    const ref = parseImageReference(`gcr.io/distroless/static-debian12:nonroot@${DIGEST}`);
    assert.equal(ref?.tag, "nonroot");
    assert.equal(ref?.digest, DIGEST);
    assert.equal(parseImageReference(`alpine@${DIGEST}`)?.tag, undefined);
    assert.equal(parseImageReference("localhost:5000/app")?.tag, undefined);
  });

  it("refuses what Docker calls an invalid reference format", () => {
    for (const bad of ["Alpine", "alpine:", "alpine:-x", "alpine@sha256:abc", "app//x", "-app", "", "$BASE", "golang:${V}", "a".repeat(256), "0123456789abcdef".repeat(4)]) {
      assert.equal(parseImageReference(bad), undefined, bad);
    }
  });

  it("tells an image that floats on latest from a pinned one", () => {
    assert.equal(isLatest(parseImageReference("alpine")!), true);
    assert.equal(isLatest(parseImageReference("alpine:latest")!), true);
    assert.equal(isLatest(parseImageReference("alpine:3.20")!), false);
    assert.equal(isLatest(parseImageReference(`alpine@${DIGEST}`)!), false);
    assert.equal(isLatest(parseImageReference(`alpine:latest@${DIGEST}`)!), false);
  });
});
