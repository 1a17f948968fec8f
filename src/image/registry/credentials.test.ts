import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../../common/index.js";
import { ensureTool } from "../../../test/support/registry.js";
import { findCredential, matchKey, normaliseKey, type Credential } from "./credentials.js";
import { parseReference } from "./reference.js";

const work = mkdtempSync(join(tmpdir(), "pcs-creds-"));
after(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
/** A fresh home with no credential files, and an environment that points nowhere else. */
function sandbox(): { home: string; env: NodeJS.ProcessEnv } {
  const home = join(work, `home${n++}`);
  mkdirSync(home, { recursive: true });
  return { home, env: { PATH: process.env.PATH, HOME: home } };
}

function writeJson(file: string, value: unknown): string {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, JSON.stringify(value));
  return file;
}

const b64 = (s: string) => Buffer.from(s).toString("base64");
const secret = (c: Credential | undefined) => c && { username: c.username, password: c.password };

test("credential keys are compared as hosts or repository scopes, Docker Hub's URL forms included", () => {
  assert.equal(normaliseKey("https://index.docker.io/v1/"), "docker.io");
  assert.equal(normaliseKey("registry-1.docker.io"), "docker.io");
  assert.equal(normaliseKey("http://localhost:5000/v2/"), "localhost:5000");
  assert.equal(normaliseKey("quay.io/team/"), "quay.io/team");
  const keys = ["quay.io", "quay.io/team", "quay.io/team/app", "quay.io/teamx"];
  assert.equal(matchKey(keys, parseReference("quay.io/team/app:1")), "quay.io/team/app");
  assert.equal(matchKey(keys, parseReference("quay.io/team/other")), "quay.io/team");
  assert.equal(matchKey(keys, parseReference("quay.io/elsewhere/x")), "quay.io");
  assert.equal(matchKey(["https://index.docker.io/v1/"], parseReference("alpine")), "https://index.docker.io/v1/");
  assert.equal(matchKey(["localhost:5000"], parseReference("localhost:5001/app")), undefined);
});

test("docker config.json: base64 auth under the host, found through $DOCKER_CONFIG", async () => {
  const { home, env } = sandbox();
  const dir = join(home, "elsewhere");
  writeJson(join(dir, "config.json"), { auths: { "127.0.0.1:5000": { auth: b64("alice:pa:ss") } } });
  env.DOCKER_CONFIG = dir;
  const c = await findCredential(parseReference("127.0.0.1:5000/app"), { env, home });
  assert.deepEqual(secret(c), { username: "alice", password: "pa:ss" });
  assert.match(c!.from, /config\.json auths\["127\.0\.0\.1:5000"\]/);
  assert.equal(await findCredential(parseReference("127.0.0.1:5001/app"), { env, home }), undefined);
});

test("docker config.json in ~/.docker: Docker Hub's legacy key and username/password fields", async () => {
  const { home, env } = sandbox();
  writeJson(join(home, ".docker/config.json"), {
    auths: { "https://index.docker.io/v1/": { auth: b64("hubuser:hubpass") }, "ghcr.io": { username: "gh", password: "token" } },
  });
  assert.deepEqual(secret(await findCredential(parseReference("alpine"), { env, home })), { username: "hubuser", password: "hubpass" });
  assert.deepEqual(secret(await findCredential(parseReference("ghcr.io/org/app"), { env, home })), { username: "gh", password: "token" });
});

test("containers auth.json comes before the docker config, and repository-scoped keys pick the most specific", async () => {
  const { home, env } = sandbox();
  env.XDG_RUNTIME_DIR = join(home, "run");
  writeJson(join(home, "run/containers/auth.json"), {
    auths: { "quay.io": { auth: b64("host:wide") }, "quay.io/team/app": { auth: b64("app:only") } },
  });
  writeJson(join(home, ".docker/config.json"), { auths: { "quay.io": { auth: b64("docker:cfg") } } });
  assert.deepEqual(secret(await findCredential(parseReference("quay.io/team/app:1"), { env, home })), { username: "app", password: "only" });
  assert.deepEqual(secret(await findCredential(parseReference("quay.io/team/other"), { env, home })), { username: "host", password: "wide" });
  // ~/.config/containers/auth.json is read when the runtime one has nothing.
  writeJson(join(home, ".config/containers/auth.json"), { auths: { "ghcr.io": { auth: b64("cfg:home") } } });
  assert.deepEqual(secret(await findCredential(parseReference("ghcr.io/x"), { env, home })), { username: "cfg", password: "home" });
});

test("$REGISTRY_AUTH_FILE replaces the default containers auth files", async () => {
  const { home, env } = sandbox();
  env.XDG_RUNTIME_DIR = join(home, "run");
  writeJson(join(home, "run/containers/auth.json"), { auths: { "quay.io": { auth: b64("runtime:file") } } });
  env.REGISTRY_AUTH_FILE = writeJson(join(home, "custom.json"), { auths: { "quay.io": { auth: b64("custom:file") } } });
  assert.deepEqual(secret(await findCredential(parseReference("quay.io/a"), { env, home })), { username: "custom", password: "file" });
});

test("the environment wins over every file, and must give both username and password", async () => {
  const { home, env } = sandbox();
  writeJson(join(home, ".docker/config.json"), { auths: { "quay.io": { auth: b64("docker:cfg") } } });
  env.PORTCULLIS_REGISTRY_USERNAME = "ci";
  env.PORTCULLIS_REGISTRY_PASSWORD = "from-env";
  const c = await findCredential(parseReference("quay.io/a"), { env, home });
  assert.deepEqual(secret(c), { username: "ci", password: "from-env" });
  assert.match(c!.from, /PORTCULLIS_REGISTRY_USERNAME/);
  delete env.PORTCULLIS_REGISTRY_PASSWORD;
  await assert.rejects(findCredential(parseReference("quay.io/a"), { env, home }), /set both PORTCULLIS_REGISTRY_USERNAME and PORTCULLIS_REGISTRY_PASSWORD/);
});

test("an identity token is kept apart from the password", async () => {
  const { home, env } = sandbox();
  writeJson(join(home, ".docker/config.json"), { auths: { "registry.example.test": { identitytoken: "refresh-me" } } });
  const c = await findCredential(parseReference("registry.example.test/app"), { env, home });
  assert.equal(c?.identityToken, "refresh-me");
});

test("a broken credential file is an error naming the file and the JSON path", async () => {
  const { home, env } = sandbox();
  const file = join(home, ".docker/config.json");
  writeJson(file, { auths: { "quay.io": { auth: b64("no-colon") } } });
  await assert.rejects(findCredential(parseReference("quay.io/a"), { env, home }), (err: unknown) => {
    return err instanceof InputError && err.source === file && err.location === '$.auths["quay.io"].auth' && /username:password/.test(err.detail);
  });
  writeJson(file, { auths: { "quay.io": { auth: 42 } } });
  await assert.rejects(findCredential(parseReference("quay.io/a"), { env, home }), (err: unknown) => err instanceof InputError && err.source === file && /^\$\.auths.*quay\.io.*auth$/.test(err.location ?? ""));
  writeFileSync(file, "{ not json");
  await assert.rejects(findCredential(parseReference("quay.io/a"), { env, home }), (err: unknown) => err instanceof InputError && /not valid JSON/.test(err.detail));
});

test("a credential helper that is not installed is skipped with a warning", async () => {
  const { home, env } = sandbox();
  writeJson(join(home, ".docker/config.json"), {
    credHelpers: { "quay.io": "portcullis-test-absent" },
    auths: { "quay.io": { auth: b64("fallback:used") } },
  });
  const warnings: string[] = [];
  const c = await findCredential(parseReference("quay.io/a"), { env, home, warn: (m) => warnings.push(m) });
  assert.deepEqual(secret(c), { username: "fallback", password: "used" });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /docker-credential-portcullis-test-absent is not installed/);
  assert.match(warnings[0]!, /credHelpers\["quay.io"\]/);
});

test("credentials kept by the real docker-credential-pass helper (credsStore and credHelpers)", async (t) => {
  ensureTool("docker-credential-pass", "golang-docker-credential-helpers");
  ensureTool("pass", "pass");
  const { home, env } = sandbox();
  env.GNUPGHOME = join(home, "gnupg");
  env.PASSWORD_STORE_DIR = join(home, "password-store");
  mkdirSync(env.GNUPGHOME, { mode: 0o700 });
  const sh = (cmd: string, args: string[], input?: string) => execFileSync(cmd, args, { env, input, stdio: ["pipe", "pipe", "pipe"] });
  t.after(() => sh("gpgconf", ["--kill", "gpg-agent"]));
  sh("gpg", ["--batch", "--passphrase", "", "--pinentry-mode", "loopback", "--quick-gen-key", "portcullis-test@example.invalid", "default", "default", "never"]);
  sh("pass", ["init", "portcullis-test@example.invalid"]);
  sh("docker-credential-pass", ["store"], JSON.stringify({ ServerURL: "127.0.0.1:5000", Username: "alice", Secret: "kept-in-pass" }));
  sh("docker-credential-pass", ["store"], JSON.stringify({ ServerURL: "https://index.docker.io/v1/", Username: "hub", Secret: "hub-in-pass" }));

  writeJson(join(home, ".docker/config.json"), { auths: { "127.0.0.1:5000": {} }, credsStore: "pass" });
  const c = await findCredential(parseReference("127.0.0.1:5000/app"), { env, home });
  assert.deepEqual(secret(c), { username: "alice", password: "kept-in-pass" });
  assert.match(c!.from, /credsStore \(docker-credential-pass\)/);
  // Docker Hub is asked for under its legacy URL, as docker login stores it.
  assert.deepEqual(secret(await findCredential(parseReference("alpine"), { env, home })), { username: "hub", password: "hub-in-pass" });
  // A server the helper does not know means no credential, not an error.
  assert.equal(await findCredential(parseReference("127.0.0.1:5999/app"), { env, home }), undefined);

  writeJson(join(home, ".docker/config.json"), { credHelpers: { "127.0.0.1:5000": "pass" } });
  assert.deepEqual(secret(await findCredential(parseReference("127.0.0.1:5000/app"), { env, home })), { username: "alice", password: "kept-in-pass" });
});
