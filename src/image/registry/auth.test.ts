import { test } from "node:test";
import assert from "node:assert/strict";
import { parseChallenges, registryErrorMessage } from "./auth.js";

test("a Docker-style bearer challenge gives realm, service and scope", () => {
  const header = 'Bearer realm="https://auth.example.test/token",service="registry.example.test",scope="repository:library/alpine:pull"';
  assert.deepEqual(parseChallenges(header), [
    { scheme: "bearer", params: { realm: "https://auth.example.test/token", service: "registry.example.test", scope: "repository:library/alpine:pull" } },
  ]);
});

test("quoted values keep their commas, spaces and escaped quotes", () => {
  const [c] = parseChallenges('Bearer realm="http://127.0.0.1:1/token", scope="repository:a/b:pull,push repository:c:pull", error="insufficient_scope", x="say \\"hi\\""');
  assert.equal(c?.params.scope, "repository:a/b:pull,push repository:c:pull");
  assert.equal(c?.params.error, "insufficient_scope");
  assert.equal(c?.params.x, 'say "hi"');
});

test("several challenges in one header are told apart by their scheme", () => {
  const challenges = parseChallenges('Basic realm="Registry Realm", Bearer realm="https://a.test/token",service=reg , Negotiate');
  assert.deepEqual(
    challenges.map((c) => c.scheme),
    ["basic", "bearer", "negotiate"],
  );
  assert.equal(challenges[0]?.params.realm, "Registry Realm");
  // Unquoted token values are allowed too.
  assert.equal(challenges[1]?.params.service, "reg");
});

test("scheme and parameter names are case-insensitive; junk does not throw", () => {
  assert.deepEqual(parseChallenges('BASIC Realm="x"'), [{ scheme: "basic", params: { realm: "x" } }]);
  assert.deepEqual(parseChallenges(""), []);
  assert.doesNotThrow(() => parseChallenges('=,,"unterminated'));
});

test("error bodies of the distribution API and of token servers yield their message", () => {
  assert.equal(registryErrorMessage('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{}}]}'), "manifest unknown");
  assert.equal(registryErrorMessage('{"details":"incorrect username or password"}'), "incorrect username or password");
  assert.equal(registryErrorMessage("<html>nope</html>"), undefined);
});
