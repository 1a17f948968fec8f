/**
 * Reading manifest files into documents: one result per document with its
 * line, a bad document costing only itself, YAML read as kubectl reads it,
 * positions for any JSON path, and the limits that stop a hostile file.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { InputError } from "../../common/index.js";
import {
  DEFAULT_LIMITS,
  MAX_DEPTH,
  MAX_DOCUMENTS,
  MAX_MANIFEST_LENGTH,
  MAX_NODES,
  MAX_YAML_ALIASES,
  kubernetesIdentity,
  loadDocuments,
  loadYaml,
  type DocumentResult,
  type LoadLimits,
  type ManifestDocument,
} from "./load.js";

const fixture = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

/** The one document of a text that must load. */
function only(text: string, file = "test.yaml"): ManifestDocument {
  const results = loadDocuments(text, file);
  assert.equal(results.length, 1, JSON.stringify(results.map((r) => (r.ok ? r.document.kind : r.error.message))));
  const [result] = results;
  assert.ok(result?.ok, result && !result.ok ? result.error.message : "a result");
  return result.document;
}

/** A short form of the results: "ok 0@1 ConfigMap", "error 1@8 line 14, column 3: …". */
const summary = (results: DocumentResult[]): string[] =>
  results.map((r) => (r.ok ? `ok ${r.index}@${r.line} ${r.document.kind}` : `${r.severity} ${r.index}@${r.line} ${r.error.location}: ${r.error.detail}`));

/** Asserts that loading throws an InputError naming the file, the location and the detail. */
function refuses(text: string, location: string | undefined, detail: string | RegExp, limits?: Partial<LoadLimits>): void {
  assert.throws(
    () => loadDocuments(text, "bad.yaml", limits),
    (err: unknown) => {
      assert.ok(err instanceof InputError, `InputError, got ${String(err)}`);
      assert.equal(err.source, "bad.yaml");
      assert.equal(err.location, location);
      if (typeof detail === "string") assert.equal(err.detail, detail);
      else assert.match(err.detail, detail);
      return true;
    },
  );
}

const POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n";

describe("a multi-document file with a broken document in the middle (testdata/multi-doc-broken.yaml)", () => {
  const results = loadDocuments(fixture("multi-doc-broken.yaml"), "multi-doc-broken.yaml");

  it("returns every other document, the broken one as an error with its line and column, and skips empty documents", () => {
    assert.deepEqual(summary(results), [
      "ok 0@1 ConfigMap",
      "error 1@8 line 14, column 3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
      "ok 2@16 Service",
      "warning 3@25 line 25: not a Kubernetes object: no apiVersion",
      "ok 5@28 Pod",
    ]);
  });

  it("names the file in each error, so the CLI prints it on one line", () => {
    const broken = results[1];
    assert.ok(broken && !broken.ok);
    assert.equal(broken.error.source, "multi-doc-broken.yaml");
    assert.equal(broken.error.message, "multi-doc-broken.yaml line 14, column 3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]");
  });

  it("keeps each document's data", () => {
    const first = results[0];
    assert.ok(first?.ok);
    assert.deepEqual(first.document.value, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app-config" }, data: { LOG_LEVEL: "info" } });
    assert.equal(first.document.file, "multi-doc-broken.yaml");
    assert.equal(first.document.apiVersion, "v1");
  });
});

describe("a JSON manifest (testdata/pod.json)", () => {
  const doc = only(fixture("pod.json"), "pod.json");

  it("reads as the same data JSON.parse gives", () => {
    assert.deepEqual(doc.value, JSON.parse(fixture("pod.json")));
  });

  it("locates nodes in tab-indented JSON, one-line objects included", () => {
    assert.deepEqual(doc.locate(["spec", "hostIPC"]), { line: 9, column: 3, endLine: 9, found: ["spec", "hostIPC"], exact: true });
    assert.equal(doc.locate(["spec", "containers", 0]).line, 12);
    assert.equal(doc.locate(["spec", "containers", 0]).endLine, 16);
    assert.equal(doc.locate(["spec", "containers", 0, "securityContext", "capabilities", "add", 0]).line, 15);
  });
});

describe("positions", () => {
  const text = [
    "apiVersion: apps/v1", // 1
    "kind: Deployment", // 2
    "metadata:", // 3
    "  name: web", // 4
    "spec:", // 5
    "  template:", // 6
    "    spec:", // 7
    "      containers:", // 8
    "        - name: app", // 9
    "          image: nginx", // 10
    "          securityContext:", // 11
    "            privileged: true", // 12
    "        - name: sidecar", // 13
    "          image: envoy", // 14
  ].join("\n");
  const doc = only(text);
  const SC = ["spec", "template", "spec", "containers", 0, "securityContext"];

  it("gives the line and column where a key starts", () => {
    assert.deepEqual(doc.locate([...SC, "privileged"]), { line: 12, column: 13, endLine: 12, found: [...SC, "privileged"], exact: true });
  });

  it("gives a sequence item's first line and the line its value ends on", () => {
    assert.deepEqual(doc.locate(["spec", "template", "spec", "containers", 1]), {
      line: 13,
      column: 11,
      endLine: 14,
      found: ["spec", "template", "spec", "containers", 1],
      exact: true,
    });
  });

  it("falls back to the nearest existing parent when the path is absent", () => {
    const absent = doc.locate([...SC, "runAsNonRoot"]);
    assert.equal(absent.line, 11);
    assert.equal(absent.exact, false);
    assert.deepEqual(absent.found, SC);
    assert.equal(doc.locate(["spec", "template", "spec", "containers", 1, "securityContext", "privileged"]).line, 13);
    assert.equal(doc.locate(["spec", "template", "spec", "containers", 7]).line, 8);
  });

  it("gives the document's start for the root", () => {
    assert.deepEqual(doc.locate([]), { line: 1, column: 1, endLine: 14, found: [], exact: true });
  });

  it("follows aliases and merge keys to where the value is written", () => {
    const merged = only(
      [
        "apiVersion: v1", // 1
        "kind: Pod", // 2
        "metadata:", // 3
        "  name: p", // 4
        "x-defaults: &sc", // 5
        "  runAsNonRoot: true", // 6
        "  runAsUser: 1000", // 7
        "spec:", // 8
        "  securityContext: *sc", // 9
        "  containers:", // 10
        "    - name: app", // 11
        "      securityContext:", // 12
        "        <<: *sc", // 13
        "        runAsUser: 2000", // 14
      ].join("\n"),
    );
    assert.equal(merged.locate(["spec", "securityContext"]).line, 9);
    assert.equal(merged.locate(["spec", "securityContext", "runAsUser"]).line, 7);
    const container = ["spec", "containers", 0, "securityContext"];
    assert.equal(merged.locate([...container, "runAsUser"]).line, 14, "a key of the map wins over the merged one");
    assert.equal(merged.locate([...container, "runAsNonRoot"]).line, 6);
    assert.deepEqual((merged.value["spec"] as { containers: unknown[] }).containers[0], { name: "app", securityContext: { runAsNonRoot: true, runAsUser: 2000 } });
  });

  it("starts documents after their `---` and counts empty ones in the index", () => {
    const results = loadDocuments(`---\n${POD}---\n# nothing here\n---\n\n${POD}...\n`, "f.yaml");
    assert.deepEqual(summary(results), ["ok 0@2 Pod", "ok 2@10 Pod"]);
  });
});

describe("YAML read as kubectl reads it (YAML 1.1, go-yaml v2)", () => {
  const value = (text: string): Record<string, unknown> => only(POD + text).value;

  it("reads yes/no/on/off/y/n as booleans, as go-yaml v2 does", () => {
    assert.deepEqual(value("a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\ng: true\n"), { ...value(""), a: true, b: false, c: true, d: false, e: true, f: false, g: true });
  });

  it("reads 0755 as octal, and leaves timestamps, 1:20 and !!binary as strings", () => {
    const v = value("mode: 0755\nwhen: 2024-01-02\nduration: 1:20\nblob: !!binary aGk=\n");
    assert.equal(v["mode"], 493);
    assert.equal(v["when"], "2024-01-02");
    assert.equal(v["duration"], "1:20");
    assert.equal(v["blob"], "aGk=");
  });

  it("refuses duplicate keys in the document, with the line of the second", () => {
    const results = loadDocuments(`${POD}spec:\n  hostPID: false\n  hostPID: true\n`, "dup.yaml");
    assert.deepEqual(summary(results), ["error 0@1 line 7, column 3: invalid YAML: Map keys must be unique"]);
  });

  it("keeps a __proto__ key as data, without touching prototypes", () => {
    const v = only('apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    __proto__: {polluted: "yes"}\n').value;
    assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
    assert.ok(Object.hasOwn((v["metadata"] as { labels: object }).labels, "__proto__"));
  });
});

describe("documents that are not Kubernetes objects", () => {
  it("are warnings naming what is missing, and the other documents still load", () => {
    const results = loadDocuments(`- a\n- b\n---\njust text\n---\nkind: Pod\n---\napiVersion: v1\n---\napiVersion: 1\nkind: Pod\n---\n${POD}`, "values.yaml");
    assert.deepEqual(summary(results), [
      "warning 0@1 line 1: not a Kubernetes object: a sequence, not a mapping",
      "warning 1@4 line 4: not a Kubernetes object: a string, not a mapping",
      "warning 2@6 line 6: not a Kubernetes object: no apiVersion",
      "warning 3@8 line 8: not a Kubernetes object: no kind",
      "warning 4@10 line 10: not a Kubernetes object: apiVersion is not a non-empty string",
      "ok 5@13 Pod",
    ]);
  });

  it("tells objects from other values", () => {
    assert.deepEqual(kubernetesIdentity({ apiVersion: "v1", kind: "Pod" }), { apiVersion: "v1", kind: "Pod" });
    assert.equal(kubernetesIdentity(null), "null, not a mapping");
    assert.equal(kubernetesIdentity({ apiVersion: "v1", kind: "" }), "kind is not a non-empty string");
  });

  it("gives nothing for an empty or comment-only file", () => {
    assert.deepEqual(loadDocuments("", "empty.yaml"), []);
    assert.deepEqual(loadDocuments("# just a comment\n---\n", "empty.yaml"), []);
  });
});

describe("Helm templates", () => {
  it("are refused as a whole, saying they are templates (testdata/helm-template.yaml)", () => {
    assert.throws(
      () => loadDocuments(fixture("helm-template.yaml"), "templates/deployment.yaml"),
      (err: unknown) => {
        assert.ok(err instanceof InputError);
        assert.equal(err.source, "templates/deployment.yaml");
        assert.equal(err.location, "line 1, column 1");
        assert.match(err.detail, /^this is a template \("\{\{" starts a Helm or Go template action\), not a Kubernetes manifest: render it first/);
        return true;
      },
    );
  });

  it("are found where a value is a template action, even when the YAML would parse", () => {
    refuses(`${POD}spec:\n  containers:\n    - name: app\n      image: {{ .Values.image }}\n`, "line 8, column 14", /^this is a template/);
  });

  it("are not confused with {{ inside strings, block scalars and comments", () => {
    const doc = only(`${POD}data:\n  q: "{{ .Values.x }}"\n  b: |\n    {{ define "alert" }}{{ end }}\n# {{ not a template }}\n`);
    assert.deepEqual(doc.value["data"], { q: "{{ .Values.x }}", b: '{{ define "alert" }}{{ end }}\n' });
  });
});

describe("limits", () => {
  it("are the documented defaults", () => {
    assert.deepEqual(DEFAULT_LIMITS, { maxLength: MAX_MANIFEST_LENGTH, maxDocuments: MAX_DOCUMENTS, maxAliases: MAX_YAML_ALIASES, maxDepth: MAX_DEPTH, maxNodes: MAX_NODES });
    assert.equal(MAX_MANIFEST_LENGTH, 8 * 1024 * 1024);
  });

  it("refuses a file larger than the limit before reading it", () => {
    refuses("#".repeat(MAX_MANIFEST_LENGTH + 1), undefined, `larger than ${MAX_MANIFEST_LENGTH} characters`);
  });

  it("refuses more documents than the limit, at the `---` of the first one too many", () => {
    refuses("a: 1\n---\n".repeat(MAX_DOCUMENTS) + "a: 1\n", `line ${2 * MAX_DOCUMENTS}, column 1`, `more than ${MAX_DOCUMENTS} documents`);
    assert.equal(loadDocuments(Array<string>(MAX_DOCUMENTS).fill(POD).join("---\n"), "many.yaml").length, MAX_DOCUMENTS);
  });

  it("refuses a deeply nested document (testdata/deep.yaml) before building it", () => {
    refuses(fixture("deep.yaml"), "line 6, column 510", `nested deeper than ${MAX_DEPTH} levels`);
  });

  it("refuses deep nesting written in block style, on one line, or in flow style", () => {
    let block = POD + "spec:\n";
    for (let i = 1; i <= MAX_DEPTH; i++) block += `${" ".repeat(i)}a:\n`;
    // The mapping indented by i is at depth i + 1: the one too deep is on line 5 + 500, column 501.
    refuses(block, `line ${MAX_DEPTH + 5}, column ${MAX_DEPTH + 1}`, `nested deeper than ${MAX_DEPTH} levels`);
    refuses(`${POD}spec: ${"[".repeat(MAX_DEPTH + 1)}`, /* the 501st bracket */ `line 5, column ${7 + MAX_DEPTH}`, `nested deeper than ${MAX_DEPTH} levels`);
    refuses(`${POD}spec:\n${"- ".repeat(MAX_DEPTH + 1)}x\n`, `line 6, column ${2 * MAX_DEPTH + 1}`, `nested deeper than ${MAX_DEPTH} levels`);
  });

  it("reads a long one-line JSON object, whose colons nest nothing", () => {
    const data = Object.fromEntries(Array.from({ length: 2 * MAX_DEPTH }, (_, i) => [`k${i}`, `v${i}`]));
    const manifest = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "flat" }, data };
    assert.deepEqual(only(JSON.stringify(manifest), "flat.json").value, manifest);
  });

  it("reads nesting up to the limit", () => {
    const doc = only(`${POD}spec: ${"[".repeat(MAX_DEPTH - 1)}${"]".repeat(MAX_DEPTH - 1)}\n`);
    assert.equal(doc.kind, "Pod");
  });

  it("refuses more YAML nodes than the limit", () => {
    // Seven scalars in POD, `data`, the sequence: the twelfth 1 is the 21st node.
    refuses(`${POD}data: [${"1, ".repeat(20)}1]\n`, `line 5, column ${8 + 11 * 3}`, "more than 20 YAML nodes", { maxNodes: 20 });
  });

  it("costs a YAML bomb only its own document (testdata/yaml-bomb.yaml)", () => {
    const results = loadDocuments(fixture("yaml-bomb.yaml"), "yaml-bomb.yaml");
    assert.deepEqual(summary(results), [
      `error 0@1 line 12, column 13: aliases expand the document to more than ${MAX_NODES} nodes (a "billion laughs" YAML bomb?)`,
      "ok 1@16 ConfigMap",
    ]);
  });

  it("refuses more aliases than the limit in one document", () => {
    const aliases = Array.from({ length: 4 }, (_, i) => `  k${i}: *v`).join("\n");
    const results = loadDocuments(`${POD}v: &v x\ndata:\n${aliases}\n`, "aliases.yaml", { maxAliases: 3 });
    assert.deepEqual(summary(results), ["error 0@1 line 10, column 7: more than 3 aliases"]);
  });

  it("refuses an alias inside the node it names", () => {
    assert.deepEqual(summary(loadDocuments(`${POD}spec: &s\n  again: *s\n`, "cycle.yaml")), ["error 0@1 line 6, column 10: the alias *s is inside the node it names"]);
  });
});

describe("YAML read as Docker Compose reads it (loadYaml, dialect go-yaml-v3)", () => {
  const text = "x-base: &base\n  privileged: true\nservices:\n  web:\n    <<: *base\n    a: yes\n    b: 0755\n    c: 0o17\n    d: On\n";
  const [result] = loadYaml(text, "compose.yaml", { dialect: "go-yaml-v3" });

  it("keeps yes/on as strings (YAML 1.2) but still reads 0755 as octal, as go-yaml v3 does", () => {
    assert.ok(result?.ok);
    const web = (result.document.value as { services: { web: Record<string, unknown> } }).services.web;
    assert.deepEqual(web, { privileged: true, a: "yes", b: 0o755, c: 0o17, d: "On" });
  });

  it("applies merge keys and locates a merged value where it is written", () => {
    assert.ok(result?.ok);
    assert.equal(result.document.locate(["services", "web", "privileged"]).line, 2);
  });

  it("needs no apiVersion or kind, and reads {{ as YAML rather than refusing a template", () => {
    const results = loadYaml("a: {{b: c}: d}\n", "x.yaml", { dialect: "go-yaml-v3" });
    assert.equal(results.length, 1);
    assert.throws(() => loadDocuments("a: {{b: c}: d}\n", "x.yaml"), InputError);
  });

  it("keeps the limits", () => {
    assert.throws(() => loadYaml("a: [[[[1]]]]\n", "x.yaml", { dialect: "go-yaml-v3", limits: { maxDepth: 3 } }), /nested deeper than 3 levels/);
  });
});
