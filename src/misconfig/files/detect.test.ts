import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { detectType, isComposeName, isDockerfileName } from "./detect.js";

describe("the type of a configuration file", () => {
  it("is a Dockerfile by the names Docker and Podman build from", () => {
    for (const name of ["Dockerfile", "Containerfile", "Dockerfile.prod", "dockerfile-dev", "api.Dockerfile", "web.containerfile"]) assert.ok(isDockerfileName(name), name);
    for (const name of ["Dockerfile~", "dockerfiles", "README.md", "Dockerfilex"]) assert.ok(!isDockerfileName(name), name);
    assert.equal(detectType("svc/Dockerfile", "FROM debian"), "dockerfile");
  });

  it("is a compose file by the names docker compose looks for", () => {
    for (const name of ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.prod.yml", "compose.override.yaml"]) assert.ok(isComposeName(name), name);
    for (const name of ["composer.json", "compose.json", "my-compose.yml"]) assert.ok(!isComposeName(name), name);
  });

  it("is a Kubernetes manifest when a YAML document declares apiVersion and kind at the top level", () => {
    assert.equal(detectType("deploy.yaml", "# app\n---\napiVersion: apps/v1\nkind: Deployment\n"), "kubernetes");
    assert.equal(detectType("pod.json", '{"apiVersion": "v1", "kind": "Pod"}'), "kubernetes");
    assert.equal(detectType("values.yaml", "image:\n  kind: nginx\n  apiVersion: x\n"), "other");
    assert.equal(detectType("package.json", '{"name": "x"}'), "other");
  });

  it("is other for every other file, which is still scanned for secrets", () => {
    assert.equal(detectType(".env", "AWS_SECRET_ACCESS_KEY=x"), "other");
    assert.equal(detectType("main.go", "package main"), "other");
  });
});
