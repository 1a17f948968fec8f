import { test } from "node:test";
import assert from "node:assert/strict";
import { baseLayerCount, configSummary } from "./report.js";

test("Buildah marks the first step of a build with FROM <base>: the layers before it are the base image's", () => {
  // The history of the node test image, as podman build wrote it.
  const history = [
    { created_by: "/bin/sh -c #(nop) ADD file:74d948d50cab75c11c61dcdd0723bbae5fdd1a153b7be516d8ff20860843d3df in /", comment: "imported from tarball" },
    { created_by: "/bin/sh -c #(nop) COPY dir:294145983379dbfc in /app/ ", comment: "FROM localhost/portcullis-test/bookworm:12" },
    { created_by: "/bin/sh -c #(nop) WORKDIR /app", comment: "FROM 599b6a8ed6bd", empty_layer: true },
  ];
  assert.equal(baseLayerCount({ history }), 1);
});

test("Otherwise the base ends at its last CMD or ENTRYPOINT that more layers follow (classic builder and BuildKit)", () => {
  const classic = [
    { created_by: "/bin/sh -c #(nop) ADD file:abc in / " },
    { created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
    { created_by: "/bin/sh -c apt-get update && apt-get install -y curl" },
    { created_by: "/bin/sh -c #(nop) COPY file:def in /app " },
    { created_by: '/bin/sh -c #(nop)  CMD ["/app/server"]', empty_layer: true },
  ];
  assert.equal(baseLayerCount({ history: classic }), 1);
  const buildkit = [
    { created_by: "ADD alpine-minirootfs.tar.gz / # buildkit", comment: "buildkit.dockerfile.v0" },
    { created_by: 'CMD ["/bin/sh"]', comment: "buildkit.dockerfile.v0", empty_layer: true },
    { created_by: "RUN /bin/sh -c apk add --no-cache nodejs # buildkit", comment: "buildkit.dockerfile.v0" },
  ];
  assert.equal(baseLayerCount({ history: buildkit }), 1);
});

test("a base image on its own, or a history that tells nothing, has no known base", () => {
  assert.equal(baseLayerCount({ history: [{ created_by: "ADD file:abc in /", comment: "imported from tarball" }] }), undefined);
  assert.equal(baseLayerCount({ history: [{ created_by: "ADD x /" }, { created_by: 'CMD ["bash"]', empty_layer: true }] }), undefined);
  assert.equal(baseLayerCount({}), undefined);
});

test("the configuration summary keeps what policies read and redacts secrets in values", () => {
  const token = "ghp_R8mQ2vX7kL4pW9tZ3nB6cY1dF5gH0jK2sA7e";
  const summary = configSummary({ config: { User: "10001", Env: ["PATH=/usr/bin", `GITHUB_TOKEN=${token}`], ExposedPorts: { "8080/tcp": {} }, Cmd: ["/app/server"], Labels: { team: "shop" } } });
  assert.equal(summary.user, "10001");
  assert.deepEqual(summary.exposedPorts, ["8080/tcp"]);
  assert.equal(summary.env[0], "PATH=/usr/bin");
  assert.match(summary.env[1]!, /^GITHUB_TOKEN=ghp_\*+… \(sha256:[0-9a-f]{16}\)$/);
  assert.deepEqual(summary.labels, { team: "shop" });
});
