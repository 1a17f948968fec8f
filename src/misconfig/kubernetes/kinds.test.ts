import { test } from "node:test";
import assert from "node:assert/strict";
import { checkObjects } from "./check.js";
import { objectsOfText } from "./objects.js";

function warnings(text: string): string[] {
  return checkObjects(objectsOfText(text, "deploy.yaml").objects).warnings.map((w) => w.message);
}

test("a built-in API group's object of a kind the group does not serve is a warning naming the file, line and likely kind", () => {
  const text = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: a}", "---", "apiVersion: v1", "kind: Podd", "metadata: {name: b}", "---", "apiVersion: batch/v1", "kind: Deployment", "metadata: {name: c}"].join("\n");
  assert.deepEqual(warnings(text), [
    'deploy.yaml line 5: kind "Podd" is not served by apiVersion v1 (did you mean Pod?); the object is not checked',
    'deploy.yaml line 9: kind "Deployment" is not served by apiVersion batch/v1 (it serves Job, CronJob); the object is not checked',
  ]);
});

test("custom resources, Lists and every kind the rules check pass without a warning", () => {
  const text = ["apiVersion: cert-manager.io/v1", "kind: Certificate", "metadata: {name: a}", "---", "apiVersion: v1", "kind: List", "items:", "- apiVersion: apps/v1", "  kind: DeploymentList", "  items: []", "---", "apiVersion: rbac.authorization.k8s.io/v1", "kind: ClusterRoleBinding", "metadata: {name: b}", "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}"].join("\n");
  assert.deepEqual(warnings(text), []);
});
