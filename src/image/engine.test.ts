/** Reading images from a real Podman API service (Docker-compatible), started for the test. */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../common/index.js";
import { Podman } from "../../test/support/registry.js";
import { defaultSockets, findEngine, openEngineImage, parseDockerHost } from "./engine.js";
import type { ProgressEvent } from "./model.js";

const podman = new Podman();
const HELLO = "second layer\n";
const xdg = join(podman.dir, "xdg");
let service: { socket: string; stop(): Promise<void> };
let inspect: Awaited<ReturnType<Podman["inspect"]>>;
let env: NodeJS.ProcessEnv;

before(async () => {
  await podman.importFiles("localhost/tiny:1", ["/etc/os-release", "/var/lib/dpkg/status"]);
  await podman.addLayer("localhost/tiny:1", "localhost/tiny:2", "hello.txt", HELLO);
  inspect = await podman.inspect("localhost/tiny:2");
  // Where rootless podman keeps its socket, so the default lookup can find it too.
  service = await podman.serve(join(xdg, "podman", "podman.sock"));
  env = { DOCKER_HOST: `unix://${service.socket}` };
});

after(async () => {
  await service?.stop();
  podman.remove();
});

const engineTemps = () => readdirSync(tmpdir()).filter((n) => n.startsWith("portcullis-engine-"));

test("an engine image is exported, read as a docker-archive, and its temporary file removed on close", async () => {
  const before = new Set(engineTemps());
  const progress: ProgressEvent[] = [];
  const image = await openEngineImage("localhost/tiny:2", { env, onProgress: (e) => progress.push(e) });
  const mine = engineTemps().filter((n) => !before.has(n));
  assert.equal(mine.length, 1, "one temporary directory while open");
  assert.equal(image.transport, "docker");
  assert.equal(image.reference, "localhost/tiny:2");
  assert.deepEqual(image.names, ["localhost/tiny:2"]);
  assert.equal(image.imageId, `sha256:${inspect.Id}`);
  assert.equal(image.layers.length, inspect.RootFS.Layers.length);
  assert.deepEqual(
    image.layers.map((l) => l.diffId),
    inspect.RootFS.Layers,
  );
  const files = new Map<string, string>();
  for (const layer of image.layers) {
    for await (const e of layer.entries()) {
      if ((e.path === "/hello.txt" || e.path === "/etc/os-release") && e.open) {
        let text = "";
        for await (const chunk of e.open()) text += chunk;
        files.set(e.path, text);
      }
    }
  }
  assert.equal(files.get("/hello.txt"), HELLO);
  assert.equal(files.get("/etc/os-release"), readFileSync("/etc/os-release", "utf8"));
  assert.ok(progress.length > 0 && progress.every((e, i) => e.phase === "pull" && (i === 0 || e.done > progress[i - 1]!.done)));
  await image.close();
  assert.ok(!existsSync(join(tmpdir(), mine[0]!)), "the temporary directory is gone after close");
});

test("short names and image ids are resolved by the engine", async () => {
  const byShort = await openEngineImage("tiny:2", { env });
  assert.equal(byShort.imageId, `sha256:${inspect.Id}`);
  await byShort.close();
  const byId = await openEngineImage(inspect.Id.slice(0, 12), { env });
  assert.equal(byId.imageId, `sha256:${inspect.Id}`);
  await byId.close();
});

test("an image the engine lacks is an error naming the engine, and leaves no temporary file", async () => {
  const before = engineTemps().length;
  await assert.rejects(openEngineImage("localhost/absent:1", { env }), (err: unknown) => {
    assert.ok(err instanceof InputError);
    assert.equal(err.message, `docker:localhost/absent:1: image not found in engine at unix://${service.socket}`);
    return true;
  });
  assert.equal(engineTemps().length, before);
});

test("an engine that is not there is a connection error naming the socket", async () => {
  const socket = join(podman.dir, "nobody-here.sock");
  await assert.rejects(openEngineImage("localhost/tiny:2", { env: { DOCKER_HOST: `unix://${socket}` } }), (err: unknown) => {
    assert.ok(err instanceof InputError);
    assert.match(err.message, new RegExp(`cannot connect to the container engine at unix://${socket}: .*ENOENT`));
    return true;
  });
});

test("without DOCKER_HOST the first existing default socket is used, rootless podman's last", async () => {
  const sockets = defaultSockets({ XDG_RUNTIME_DIR: xdg });
  assert.deepEqual(sockets.slice(0, 2), ["/var/run/docker.sock", "/run/podman/podman.sock"]);
  assert.equal(sockets[2], service.socket);
  const first = sockets.find((s) => existsSync(s));
  assert.deepEqual(await findEngine({ XDG_RUNTIME_DIR: xdg }), { label: `unix://${first}`, socketPath: first });
});

test("DOCKER_HOST may be a unix socket or tcp; anything else is refused", () => {
  assert.deepEqual(parseDockerHost("unix:///run/user/1000/podman/podman.sock"), { label: "unix:///run/user/1000/podman/podman.sock", socketPath: "/run/user/1000/podman/podman.sock" });
  assert.deepEqual(parseDockerHost("tcp://127.0.0.1"), { label: "tcp://127.0.0.1:2375", host: "127.0.0.1", port: 2375 });
  assert.deepEqual(parseDockerHost("tcp://[::1]:2376"), { label: "tcp://[::1]:2376", host: "::1", port: 2376 });
  assert.throws(() => parseDockerHost("ssh://me@host"), /DOCKER_HOST: "ssh:\/\/me@host": only unix:\/\/ and tcp:\/\//);
  assert.throws(() => parseDockerHost("unix://relative.sock"), /absolute/);
});
