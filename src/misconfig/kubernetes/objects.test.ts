/**
 * Documents as Kubernetes objects: identity and metadata, Lists unwrapped
 * into their items with the items' paths, and locations for findings.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { jsonPath } from "../../common/index.js";
import { loadDocuments } from "./load.js";
import { isListKind, locationOf, objectsOf, objectsOfText, type KubernetesObject } from "./objects.js";

const fixture = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

/** kind/name (namespace) at path, line. */
const short = (o: KubernetesObject): string => `${o.kind}/${o.name ?? "?"} (${o.namespace ?? "-"}) at ${o.path} line ${o.line}`;

describe("a Deployment and its ServiceAccount (testdata/deployment.yaml)", () => {
  const { objects, problems } = objectsOfText(fixture("deployment.yaml"), "k8s/storefront.yaml");
  const [deployment, account] = objects;

  it("gives one object per document, with its file, document and line", () => {
    assert.deepEqual(objects.map(short), ["Deployment/storefront (shop) at $ line 3", "ServiceAccount/storefront (shop) at $ line 75"]);
    assert.deepEqual(problems, []);
    assert.equal(deployment?.file, "k8s/storefront.yaml");
    assert.deepEqual([deployment?.document, account?.document], [0, 1]);
    assert.deepEqual(deployment?.root, []);
  });

  it("reads identity, labels and annotations", () => {
    assert.equal(deployment?.apiVersion, "apps/v1");
    assert.deepEqual(deployment?.labels, { "app.kubernetes.io/name": "storefront", "app.kubernetes.io/part-of": "shop" });
    assert.deepEqual(deployment?.annotations, { "deployment.kubernetes.io/revision": "7" });
    assert.deepEqual(deployment?.resource, { kind: "Deployment", namespace: "shop", name: "storefront" });
  });

  it("locates any path of the object, or its nearest existing parent", () => {
    assert.equal(deployment?.locate(["spec", "template", "spec", "containers", 1, "securityContext", "privileged"]).line, 59);
    assert.equal(deployment?.locate(["spec", "template", "spec", "hostNetwork"]).line, 25);
  });

  it("builds a finding's location", () => {
    const keys = ["spec", "template", "spec", "containers", 1, "securityContext", "privileged"];
    assert.deepEqual(locationOf(deployment!, keys, "log-shipper"), {
      path: "k8s/storefront.yaml",
      line: 59,
      resource: { kind: "Deployment", namespace: "shop", name: "storefront" },
      container: "log-shipper",
      jsonPath: "$.spec.template.spec.containers[1].securityContext.privileged",
    });
    const container = locationOf(deployment!, ["spec", "template", "spec", "containers", 1]);
    assert.deepEqual([container.line, container.endLine], [56, 63]);
  });
});

describe("a List (testdata/list.yaml)", () => {
  const results = loadDocuments(fixture("list.yaml"), "list.yaml");
  const first = results[0];
  assert.ok(first?.ok);
  const { objects, warnings } = objectsOf(first.document);

  it("is unwrapped into its items, a nested PodList too, each with its path in the document", () => {
    assert.deepEqual(objects.map(short), [
      "Service/api (payments) at $.items[0] line 6",
      "Deployment/api (payments) at $.items[1] line 17",
      "Pod/debug (payments) at $.items[2].items[0] line 40",
    ]);
    assert.deepEqual(objects[2]?.root, ["items", 2, "items", 0]);
  });

  it("warns about an item that is no object, with its line", () => {
    assert.deepEqual(
      warnings.map((w) => w.message),
      ["list.yaml line 49: $.items[3]: not a Kubernetes object: a string, not a mapping"],
    );
  });

  it("keeps the items' paths for locations: keys start at the document's root", () => {
    const deployment = objects[1]!;
    const keys = [...deployment.root, "spec", "template", "spec", "containers", 0, "securityContext", "privileged"];
    assert.equal(jsonPath(keys), "$.items[1].spec.template.spec.containers[0].securityContext.privileged");
    assert.equal(deployment.locate(keys).line, 35);
    assert.equal(locationOf(deployment, keys).line, 35);
    assert.deepEqual(deployment.raw["metadata"], { name: "api", namespace: "payments" });
  });

  it("knows List kinds from objects that merely end in List", () => {
    assert.equal(isListKind("List", { items: [] }), true);
    assert.equal(isListKind("DeploymentList", { items: [] }), true);
    assert.equal(isListKind("AllowList", { items: [], spec: {} }), false, "a CRD with a spec is an object");
    assert.equal(isListKind("List", {}), false);
  });
});

describe("metadata", () => {
  const objectOf = (text: string): { object: KubernetesObject | undefined; warnings: string[] } => {
    const { objects, problems } = objectsOfText(text, "m.yaml");
    return { object: objects[0], warnings: problems.map((p) => `${p.severity}: ${p.error.message}`) };
  };

  it("leaves namespace absent when the manifest does not set it", () => {
    const { object } = objectOf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n");
    assert.equal(object?.namespace, undefined);
    assert.deepEqual(object?.resource, { kind: "ConfigMap", name: "c" });
    assert.deepEqual([object?.labels, object?.annotations], [{}, {}]);
  });

  it("names an object that only has a generateName by it", () => {
    const { object } = objectOf("apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n");
    assert.equal(object?.name, undefined);
    assert.equal(object?.resource.name, "migrate-");
  });

  it("warns about values of the wrong type and leaves them out", () => {
    const { object, warnings } = objectOf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 42\n  labels:\n    tier: web\n    version: 1.0\n    canary: yes\n");
    assert.equal(object?.name, undefined);
    assert.deepEqual(object?.labels, { tier: "web" });
    assert.deepEqual(warnings, [
      "warning: m.yaml line 4: $.metadata.name: expected a string, got a number",
      "warning: m.yaml line 7: $.metadata.labels.version: expected a string, got a number",
      "warning: m.yaml line 8: $.metadata.labels.canary: expected a string, got a boolean",
    ]);
  });

  it("does not read inherited properties as metadata", () => {
    const { object } = objectOf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\n");
    assert.equal(object?.name, undefined);
    assert.equal(Object.hasOwn(object?.labels ?? {}, "constructor"), false);
  });
});

describe("objectsOfText over a file with a broken document (testdata/multi-doc-broken.yaml)", () => {
  it("gives the objects of the good documents and every problem at its level", () => {
    const { objects, problems } = objectsOfText(fixture("multi-doc-broken.yaml"), "app.yaml");
    assert.deepEqual(
      objects.map((o) => `${o.kind}/${o.name ?? "?"} #${o.document}`),
      ["ConfigMap/app-config #0", "Service/app #2", "Pod/app #5"],
    );
    assert.deepEqual(
      problems.map((p) => `${p.severity}: ${p.error.location}`),
      ["error: line 14, column 3", "warning: line 25"],
    );
  });
});
