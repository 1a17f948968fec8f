/**
 * Reading Compose files: services with their fields in one shape whatever
 * form the file uses, booleans as compose-go casts them, positions for every
 * field, problems that name the file, line and JSON path, and limits that
 * stop YAML bombs.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { InputError } from "../../common/index.js";
import { hasVariable, loadCompose } from "./load.js";

const fixture = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

describe("a compose file with every form the loader reads (testdata/full.yaml)", () => {
  const { services, problems } = loadCompose(fixture("full.yaml"), "full.yaml");
  const web = services.find((s) => s.name === "web")!;
  const worker = services.find((s) => s.name === "worker")!;

  it("reads every service, without problems", () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(
      services.map((s) => [s.name, s.line]),
      [
        ["web", 7],
        ["worker", 31],
      ],
    );
  });

  it("reads short and long volume syntax, Windows drive letters and modes", () => {
    assert.deepEqual(web.volumes, [
      { index: 0, type: "bind", source: "./site", target: "/usr/share/nginx/html", readOnly: true },
      { index: 1, type: "volume", source: "logs", target: "/var/log/nginx", readOnly: false },
      { index: 2, type: "volume", target: "/cache", readOnly: false },
      { index: 3, type: "bind", source: "C:\\data", target: "/data", readOnly: false },
      { index: 4, type: "bind", source: "/var/run/docker.sock", target: "/var/run/docker.sock", readOnly: true },
    ]);
  });

  it("reads the list and the map forms of environment, a bare name having no value", () => {
    assert.deepEqual(
      web.environment.map((v) => [v.name, v.value, v.keys]),
      [
        ["LOG_LEVEL", "info", ["environment", 0]],
        ["API_TOKEN", undefined, ["environment", 1]],
      ],
    );
    assert.deepEqual(
      worker.environment.map((v) => [v.name, v.value]),
      [
        ["QUEUE", "jobs"],
        ["RETRIES", "3"],
        ["EMPTY", undefined],
      ],
    );
  });

  it("casts booleans as compose-go does (\"true\", Off) and applies << merges", () => {
    assert.equal(web.readOnly, true);
    assert.equal(worker.privileged, false);
    assert.equal(worker.readOnly, undefined);
  });

  it("keeps the other fields", () => {
    assert.deepEqual([web.capAdd, web.capDrop, web.securityOpt, web.user], [["NET_ADMIN"], ["ALL"], ["no-new-privileges:true"], "101:101"]);
    assert.deepEqual([worker.networkMode, worker.pid, worker.ipc], ["host", "host", "host"]);
    assert.deepEqual(web.ports, ["8080:80"]);
    assert.deepEqual(web.deploy, { resources: { limits: { memory: "256M" } } });
    assert.deepEqual(worker.value.profiles, ["batch"]);
  });

  it("locates fields, merged ones where they are written, and names them by JSON path", () => {
    assert.deepEqual(web.locate(["volumes", 4]), { line: 17, endLine: 20 });
    assert.equal(web.locate(["read_only"]).line, 4);
    assert.equal(worker.locate(["pid"]).line, 35);
    assert.equal(web.jsonPath(["cap_add", 0]), "$.services.web.cap_add[0]");
  });
});

describe("bad input", () => {
  it("is reported as problems naming the file, line, column and JSON path; the rest is still read", () => {
    const { services, problems } = loadCompose(fixture("bad-types.yaml"), "bad-types.yaml");
    assert.deepEqual(
      problems.map((p) => p.message),
      [
        'bad-types.yaml line 4, column 5 ($.services.web.privileged): `privileged` must be a boolean (true or false), not "maybe"',
        "bad-types.yaml line 5, column 5 ($.services.web.cap_add): `cap_add` must be a list of strings",
        "bad-types.yaml line 7, column 9 ($.services.web.volumes[0]): a volume in long syntax needs a `target` string",
        'bad-types.yaml line 9, column 3 ($.services.broken): service "broken" must be a mapping',
      ],
    );
    assert.ok(problems.every((p) => p instanceof InputError && p.source === "bad-types.yaml"));
    assert.deepEqual(
      services.map((s) => [s.name, s.privileged]),
      [
        ["web", undefined],
        ["ok", true],
      ],
    );
  });

  it("reports invalid YAML and a file that is no mapping, with their lines", () => {
    assert.match(loadCompose("services:\n  web:\n    image: [unclosed\n", "c.yaml").problems[0]!.message, /^c\.yaml line \d+, column \d+: invalid YAML/);
    assert.equal(loadCompose("- a\n- b\n", "c.yaml").problems[0]!.message, "c.yaml line 1, column 1 ($): a Compose file is a mapping with a `services` key");
    assert.equal(loadCompose("services: [web]\n", "c.yaml").problems[0]!.message, "c.yaml line 1, column 1 ($.services): `services` must be a mapping of service names to services");
  });

  it("refuses duplicate keys, as go-yaml v3 does", () => {
    assert.match(loadCompose("services:\n  web:\n    image: a\n    image: b\n", "c.yaml").problems[0]!.message, /line 4.*unique|line 4.*[Dd]uplicate|Map keys must be unique/);
  });

  it("costs a YAML bomb (testdata/bomb.yaml) only a problem, never the memory", () => {
    const { services, problems } = loadCompose(fixture("bomb.yaml"), "bomb.yaml");
    assert.deepEqual(services, []);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /more than \d+ (aliases|YAML nodes)|billion laughs/);
  });

  it("stops at the size limit with an InputError", () => {
    assert.throws(() => loadCompose("services: {}\n".padEnd(2000, "#"), "big.yaml", { maxLength: 1000 }), (e: unknown) => e instanceof InputError && e.source === "big.yaml");
  });
});

describe("hasVariable", () => {
  it("tells values compose interpolates from literal ones ($$ is a literal $)", () => {
    assert.deepEqual(
      ["${A}", "$A", "x${A:-1}", "$$A", "price: 5$", "plain"].map(hasVariable),
      [true, true, true, false, false, false],
    );
  });
});
