/**
 * Workloads as the kubelet runs them: where each kind keeps its pod spec,
 * every container, the effective security context of each (the container's
 * value over the pod's, legacy annotations where Kubernetes reads them) with
 * the path and line that set it and the path a fix writes, and the pod-level
 * facts rules ask about.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { toFinding, defineRule, type Hit } from "../rule.js";
import { objectsOfText, type KubernetesObject } from "./objects.js";
import {
  appArmorFromAnnotation,
  capabilityName,
  podSpecPath,
  seccompFromAnnotation,
  serviceAccountsOf,
  tokenAutomount,
  workloadOf,
  workloadsOf,
  type Container,
  type Setting,
  type Workload,
} from "./workloads.js";

const fixture = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

function objectsIn(text: string, file = "w.yaml"): KubernetesObject[] {
  const { objects, problems } = objectsOfText(text, file);
  assert.deepEqual(
    problems.map((p) => p.error.message),
    [],
  );
  return objects;
}

/** The one workload of a text. */
function workloadIn(text: string, file = "w.yaml"): Workload {
  const workloads = workloadsOf(objectsIn(text, file));
  assert.equal(workloads.length, 1);
  return workloads[0]!;
}

function containerNamed(workload: Workload, name: string): Container {
  const found = workload.containers.find((c) => c.name === name);
  assert.ok(found, `a container ${name}`);
  return found;
}

/** What a rule reads of a setting: value, source, path, line. */
const seen = <T>(s: Setting<T>): [T | undefined, string | undefined, string | undefined, number | undefined] => [s.value, s.from, s.path, s.line];

describe("runAsNonRoot and runAsUser set on the pod, the container, both or neither (testdata/security-context-matrix.yaml)", () => {
  const workloads = workloadsOf(objectsIn(fixture("security-context-matrix.yaml"), "matrix.yaml"));
  const byName = new Map(workloads.map((w) => [w.object.name, w.containers[0]!]));
  const POD = "$.spec.template.spec.securityContext";
  const CONTAINER = "$.spec.template.spec.containers[0].securityContext";

  // Lines checked by hand against the fixture.
  const table = [
    { name: "neither", runAsNonRoot: [undefined, undefined, undefined, undefined], runAsUser: [undefined, undefined, undefined, undefined], fixLine: 10, podFixLine: 8 },
    { name: "pod-only", runAsNonRoot: [true, "pod", `${POD}.runAsNonRoot`, 22], runAsUser: [1000, "pod", `${POD}.runAsUser`, 23], fixLine: 25, podFixLine: 22 },
    {
      name: "container-only",
      runAsNonRoot: [true, "container", `${CONTAINER}.runAsNonRoot`, 40],
      runAsUser: [2000, "container", `${CONTAINER}.runAsUser`, 41],
      fixLine: 40,
      podFixLine: 35,
    },
    { name: "both", runAsNonRoot: [false, "container", `${CONTAINER}.runAsNonRoot`, 58], runAsUser: [0, "container", `${CONTAINER}.runAsUser`, 59], fixLine: 58, podFixLine: 52 },
  ] as const;

  for (const row of table) {
    it(`${row.name}: the effective value, the path it came from and its line`, () => {
      const c = byName.get(row.name);
      assert.ok(c);
      assert.deepEqual(seen(c.effective.runAsNonRoot), row.runAsNonRoot);
      assert.deepEqual(seen(c.effective.runAsUser), row.runAsUser);
    });

    it(`${row.name}: a fix writes the container's field; a pod-level fix the pod's`, () => {
      const c = byName.get(row.name)!;
      const { fix, podFix } = c.effective.runAsNonRoot;
      assert.equal(fix.path, `${CONTAINER}.runAsNonRoot`);
      assert.equal(fix.line, row.fixLine, "the field, or its nearest existing parent");
      assert.equal(podFix?.path, `${POD}.runAsNonRoot`);
      assert.equal(podFix?.line, row.podFixLine);
    });
  }

  it("leaves the pod's value in force when the container sets another field only", () => {
    const [w] = workloadsOf(
      objectsIn("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsUser: 1000\n  containers:\n    - name: a\n      securityContext:\n        runAsNonRoot: true\n"),
    );
    assert.deepEqual(seen(w!.containers[0]!.effective.runAsUser), [1000, "pod", "$.spec.securityContext.runAsUser", 7]);
  });

  it("treats null as unset, so the pod's value applies", () => {
    const w = workloadIn("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsUser: 1000\n  containers:\n    - name: a\n      securityContext:\n        runAsUser: null\n");
    assert.deepEqual(seen(w.containers[0]!.effective.runAsUser), [1000, "pod", "$.spec.securityContext.runAsUser", 7]);
    assert.deepEqual(w.warnings, []);
  });
});

describe("a Deployment (testdata/deployment.yaml)", () => {
  const objects = objectsIn(fixture("deployment.yaml"), "storefront.yaml");
  const [w] = workloadsOf(objects);
  assert.ok(w);

  it("finds the pod spec and the pods' metadata", () => {
    assert.deepEqual([w.pod.path, w.pod.line], ["$.spec.template.spec", 25]);
    assert.deepEqual(w.pod.metadata.keys, ["spec", "template", "metadata"]);
    assert.deepEqual(w.pod.metadata.labels, { "app.kubernetes.io/name": "storefront" });
    assert.equal(w.namespace, "shop");
    assert.deepEqual(w.warnings, []);
  });

  it("lists init containers, then containers, with type, index, name, image, path and line", () => {
    assert.deepEqual(
      w.containers.map((c) => [c.type, c.index, c.name, c.image, c.path, c.line]),
      [
        ["initContainer", 0, "tune-net", "busybox:1.36", "$.spec.template.spec.initContainers[0]", 34],
        ["container", 0, "storefront", "registry.example.com/shop/storefront:2.4.1", "$.spec.template.spec.containers[0]", 43],
        ["container", 1, "log-shipper", "fluent/fluent-bit:3.0", "$.spec.template.spec.containers[1]", 56],
      ],
    );
  });

  it("resolves each container's values against the pod's", () => {
    const init = containerNamed(w, "tune-net");
    assert.deepEqual(seen(init.effective.runAsUser), [0, "container", "$.spec.template.spec.initContainers[0].securityContext.runAsUser", 38]);
    assert.deepEqual(seen(init.effective.seccompProfile), [{ type: "RuntimeDefault" }, "pod", "$.spec.template.spec.securityContext.seccompProfile", 31]);
    const app = containerNamed(w, "storefront");
    assert.deepEqual(seen(app.effective.runAsNonRoot), [true, "pod", "$.spec.template.spec.securityContext.runAsNonRoot", 28]);
    assert.deepEqual(seen(app.effective.runAsUser), [10002, "container", "$.spec.template.spec.containers[0].securityContext.runAsUser", 50]);
    assert.deepEqual(seen(app.effective.readOnlyRootFilesystem), [true, "container", "$.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem", 49]);
    const shipper = containerNamed(w, "log-shipper");
    assert.deepEqual(seen(shipper.effective.runAsUser), [10001, "pod", "$.spec.template.spec.securityContext.runAsUser", 29]);
  });

  it("reads the AppArmor annotation of the pod template for the container it names", () => {
    const app = containerNamed(w, "storefront");
    assert.deepEqual(seen(app.effective.appArmorProfile), [
      { type: "RuntimeDefault" },
      "annotation",
      '$.spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/storefront"]',
      23,
    ]);
    assert.equal(app.effective.appArmorProfile.fix.path, "$.spec.template.spec.containers[0].securityContext.appArmorProfile");
    assert.equal(containerNamed(w, "log-shipper").effective.appArmorProfile.value, undefined);
  });

  it("keeps container-only fields on the container, with capabilities as the runtime names them", () => {
    const init = containerNamed(w, "tune-net");
    assert.deepEqual(init.effective.capabilities.value, { add: ["NET_ADMIN", "cap_sys_admin"], drop: [] });
    assert.deepEqual(init.addedCapabilities, ["NET_ADMIN", "SYS_ADMIN"]);
    assert.deepEqual(containerNamed(w, "storefront").droppedCapabilities, ["ALL"]);
    const shipper = containerNamed(w, "log-shipper");
    assert.deepEqual(seen(shipper.effective.privileged), [true, "container", "$.spec.template.spec.containers[1].securityContext.privileged", 59]);
    assert.equal(shipper.effective.privileged.podFix, undefined, "privileged has no pod-level field");
  });

  it("derives whether privilege escalation is possible", () => {
    assert.deepEqual(
      w.containers.map((c) => [c.name, c.effective.allowPrivilegeEscalation.value, c.effective.allowPrivilegeEscalationEffective]),
      [
        ["tune-net", undefined, true],
        ["storefront", false, false],
        ["log-shipper", undefined, true],
      ],
    );
  });

  it("lists volumes, hostPath ones with their path and type", () => {
    assert.deepEqual(
      w.pod.volumes.map((v) => [v.index, v.name, v.path, v.line, v.hostPath]),
      [
        [0, "cache", "$.spec.template.spec.volumes[0]", 65, undefined],
        [1, "varlog", "$.spec.template.spec.volumes[1]", 67, { path: "/var/log", type: "Directory" }],
        [2, "config", "$.spec.template.spec.volumes[2]", 71, undefined],
      ],
    );
  });

  it("gets the token automount from the ServiceAccount of the same scan, and the default without it", () => {
    assert.deepEqual(seen(w.pod.serviceAccountName), ["storefront", "pod", "$.spec.template.spec.serviceAccountName", 26]);
    assert.equal(w.pod.automountServiceAccountToken.value, undefined);
    const decided = tokenAutomount(w, serviceAccountsOf(objects));
    assert.deepEqual([decided.value, decided.from, decided.serviceAccount?.name, decided.path, decided.line], [false, "service-account", "storefront", "$.automountServiceAccountToken", 80]);
    assert.deepEqual(tokenAutomount(w), { value: true, from: "default", serviceAccount: undefined, path: undefined, keys: undefined, line: undefined });
  });
});

describe("a CronJob (testdata/cronjob.yaml)", () => {
  const w = workloadIn(fixture("cronjob.yaml"), "backup.yaml");
  const [backup, notify] = w.containers;

  it("finds the pod spec under the job template", () => {
    assert.equal(w.pod.path, "$.spec.jobTemplate.spec.template.spec");
    assert.equal(backup?.path, "$.spec.jobTemplate.spec.template.spec.containers[0]");
    assert.deepEqual(seen(backup!.effective.privileged), [true, "container", "$.spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged", 31]);
  });

  it("reads the host namespaces, `yes` as true, and sysctls", () => {
    assert.deepEqual(seen(w.pod.hostNetwork), [true, "pod", "$.spec.jobTemplate.spec.template.spec.hostNetwork", 19]);
    assert.deepEqual(seen(w.pod.hostPID), [true, "pod", "$.spec.jobTemplate.spec.template.spec.hostPID", 20]);
    assert.equal(w.pod.hostIPC.value, undefined);
    assert.equal(w.pod.hostIPC.fix.path, "$.spec.jobTemplate.spec.template.spec.hostIPC");
    assert.deepEqual(
      w.pod.sysctls.map((s) => [s.name, s.value, s.path, s.line]),
      [["net.ipv4.ip_local_port_range", "1024 65000", "$.spec.jobTemplate.spec.template.spec.securityContext.sysctls[0]", 24]],
    );
  });

  it("takes seccomp from the container's annotation before the pod's", () => {
    const annotations = "$.spec.jobTemplate.spec.template.metadata.annotations";
    assert.deepEqual(seen(backup!.effective.seccompProfile), [{ type: "Unconfined" }, "annotation", `${annotations}["container.seccomp.security.alpha.kubernetes.io/backup"]`, 16]);
    assert.deepEqual(seen(notify!.effective.seccompProfile), [{ type: "RuntimeDefault" }, "annotation", `${annotations}["seccomp.security.alpha.kubernetes.io/pod"]`, 15]);
  });

  it("reads the pod's own automountServiceAccountToken first", () => {
    const decided = tokenAutomount(w);
    assert.deepEqual([decided.value, decided.from, decided.line], [false, "pod", 21]);
  });
});

describe("a workload in a List (testdata/list.yaml) and a JSON Pod (testdata/pod.json)", () => {
  it("keeps the List item's path in every container path", () => {
    const workloads = workloadsOf(objectsOfText(fixture("list.yaml"), "list.yaml").objects);
    assert.deepEqual(
      workloads.map((w) => `${w.object.kind}/${w.object.name ?? "?"} ${w.containers.map((c) => c.path).join(" ")}`),
      ["Deployment/api $.items[1].spec.template.spec.containers[0]", "Pod/debug $.items[2].items[0].spec.containers[0]"],
    );
    assert.deepEqual(seen(workloads[0]!.containers[0]!.effective.privileged), [true, "container", "$.items[1].spec.template.spec.containers[0].securityContext.privileged", 35]);
  });

  it("reads a JSON Pod the same way", () => {
    const w = workloadIn(fixture("pod.json"), "pod.json");
    const [main] = w.containers;
    assert.deepEqual(seen(w.pod.hostIPC), [true, "pod", "$.spec.hostIPC", 9]);
    assert.deepEqual(seen(main!.effective.runAsUser), [0, "pod", "$.spec.securityContext.runAsUser", 10]);
    assert.deepEqual(seen(main!.effective.runAsNonRoot), [false, "container", "$.spec.containers[0].securityContext.runAsNonRoot", 15]);
    assert.deepEqual(main!.addedCapabilities, ["SYS_PTRACE"]);
    assert.deepEqual(w.pod.metadata.labels, { app: "json" });
  });
});

describe("where each kind keeps its pod spec", () => {
  const container = "containers: [{name: app, image: app:1}]";
  const cases: [string, string, string][] = [
    ["v1", "Pod", `spec: {${container}}`],
    ["v1", "PodTemplate", `template: {spec: {${container}}}`],
    ["v1", "ReplicationController", `spec: {template: {spec: {${container}}}}`],
    ["apps/v1", "Deployment", `spec: {template: {spec: {${container}}}}`],
    ["extensions/v1beta1", "Deployment", `spec: {template: {spec: {${container}}}}`],
    ["apps/v1", "StatefulSet", `spec: {template: {spec: {${container}}}}`],
    ["apps/v1", "DaemonSet", `spec: {template: {spec: {${container}}}}`],
    ["apps/v1", "ReplicaSet", `spec: {template: {spec: {${container}}}}`],
    ["batch/v1", "Job", `spec: {template: {spec: {${container}}}}`],
    ["batch/v1beta1", "CronJob", `spec: {jobTemplate: {spec: {template: {spec: {${container}}}}}}`],
  ];
  for (const [apiVersion, kind, body] of cases) {
    it(`${apiVersion} ${kind}`, () => {
      const w = workloadIn(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\n${body}\n`);
      assert.equal(w.containers.length, 1);
      assert.equal(w.containers[0]!.path, `${w.pod.path}.containers[0]`);
      assert.equal(w.containers[0]!.line, 4);
    });
  }

  it("is not looked for in other kinds, nor in a CRD of another group with the same kind", () => {
    assert.equal(podSpecPath({ apiVersion: "v1", kind: "Service" }), undefined);
    assert.equal(podSpecPath({ apiVersion: "example.com/v1", kind: "Deployment" }), undefined);
    assert.equal(podSpecPath({ apiVersion: "v1", kind: "constructor" }), undefined);
    assert.deepEqual(workloadsOf(objectsIn("apiVersion: argoproj.io/v1alpha1\nkind: Job\nmetadata: {name: x}\nspec: {template: {spec: {containers: [{name: a}]}}}\n")), []);
  });

  it("warns when a workload has no pod spec, and lists no containers", () => {
    const w = workloadOf(objectsIn("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: 1}\n")[0]!);
    assert.deepEqual(w?.containers, []);
    assert.deepEqual(
      w?.warnings.map((e) => e.message),
      ["w.yaml line 4: $.spec.template.spec: no pod spec"],
    );
  });

  it("lists ephemeral containers after the others", () => {
    const w = workloadIn("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  ephemeralContainers: [{name: debugger, image: busybox}]\n  containers: [{name: app}]\n  initContainers: [{name: init}]\n");
    assert.deepEqual(
      w.containers.map((c) => `${c.type} ${c.name ?? "?"} ${c.path}`),
      ["initContainer init $.spec.initContainers[0]", "container app $.spec.containers[0]", "ephemeralContainer debugger $.spec.ephemeralContainers[0]"],
    );
  });
});

describe("the effective security context", () => {
  /** The one container of a Pod with the given pod and container securityContexts (YAML flow style). */
  const containerWith = (podSc: string, containerSc: string, annotations = "{}", extra = ""): Container =>
    workloadIn(`apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: ${annotations}}\nspec:\n  securityContext: ${podSc}\n  containers:\n  - name: app\n    securityContext: ${containerSc}\n${extra}`).containers[0]!;

  it("takes seLinuxOptions whole from the container", () => {
    const c = containerWith("{seLinuxOptions: {user: u, level: 's0:c1'}}", "{seLinuxOptions: {type: spc_t}}");
    assert.deepEqual(seen(c.effective.seLinuxOptions), [{ type: "spc_t" }, "container", "$.spec.containers[0].securityContext.seLinuxOptions", 8]);
  });

  it("merges windowsOptions field by field, the two GMSA fields as a pair", () => {
    const c = containerWith("{windowsOptions: {gmsaCredentialSpecName: pod-spec, gmsaCredentialSpec: pod-json, runAsUserName: pod-user, hostProcess: true}}", "{windowsOptions: {gmsaCredentialSpecName: ctr-spec, hostProcess: false}}");
    const w = c.effective.windowsOptions;
    assert.deepEqual(seen(w.gmsaCredentialSpecName), ["ctr-spec", "container", "$.spec.containers[0].securityContext.windowsOptions.gmsaCredentialSpecName", 8]);
    assert.equal(w.gmsaCredentialSpec.value, undefined, "the container's GMSA pair replaces the pod's, unset half included");
    assert.deepEqual(seen(w.runAsUserName), ["pod-user", "pod", "$.spec.securityContext.windowsOptions.runAsUserName", 5]);
    assert.deepEqual(seen(w.hostProcess), [false, "container", "$.spec.containers[0].securityContext.windowsOptions.hostProcess", 8]);
    assert.equal(w.hostProcess.podFix?.path, "$.spec.securityContext.windowsOptions.hostProcess");
  });

  it("orders seccomp sources: container field, container annotation, pod field, pod annotation", () => {
    const both = '{"seccomp.security.alpha.kubernetes.io/pod": unconfined, "container.seccomp.security.alpha.kubernetes.io/app": "localhost/profiles/app.json"}';
    const podOnly = '{"seccomp.security.alpha.kubernetes.io/pod": "docker/default"}';
    const rows: [string, string, string, [string | undefined, string | undefined]][] = [
      ["{seccompProfile: {type: RuntimeDefault}}", "{seccompProfile: {type: Localhost, localhostProfile: x.json}}", both, ["Localhost", "container"]],
      ["{seccompProfile: {type: RuntimeDefault}}", "{}", both, ["Localhost", "annotation"]],
      ["{seccompProfile: {type: RuntimeDefault}}", "{}", podOnly, ["RuntimeDefault", "pod"]],
      ["{}", "{}", podOnly, ["RuntimeDefault", "annotation"]],
      ["{}", "{}", "{}", [undefined, undefined]],
    ];
    for (const [podSc, containerSc, annotations, expected] of rows) {
      const s = containerWith(podSc, containerSc, annotations).effective.seccompProfile;
      assert.deepEqual([s.value?.type, s.from], expected, `${podSc} ${containerSc} ${annotations}`);
    }
    const fromAnnotation = containerWith("{}", "{}", both).effective.seccompProfile;
    assert.deepEqual(fromAnnotation.value, { type: "Localhost", localhostProfile: "profiles/app.json" });
    assert.equal(fromAnnotation.path, '$.metadata.annotations["container.seccomp.security.alpha.kubernetes.io/app"]');
  });

  it("lets the AppArmor annotation stand in for an unset container field, before the pod's field, except on Windows", () => {
    const annotation = '{"container.apparmor.security.beta.kubernetes.io/app": unconfined}';
    const pod = "{appArmorProfile: {type: RuntimeDefault}}";
    assert.deepEqual([containerWith(pod, "{}", annotation).effective.appArmorProfile.value?.type, containerWith(pod, "{}", annotation).effective.appArmorProfile.from], ["Unconfined", "annotation"]);
    assert.equal(containerWith(pod, "{appArmorProfile: {type: Localhost, localhostProfile: k8s-nginx}}", annotation).effective.appArmorProfile.from, "container");
    assert.equal(containerWith(pod, "{}", "{}").effective.appArmorProfile.from, "pod");
    assert.equal(containerWith("{}", "{}", annotation, "  os: {name: windows}\n").effective.appArmorProfile.value, undefined);
  });

  it("reads legacy annotation values as Kubernetes does", () => {
    assert.deepEqual(seccompFromAnnotation("docker/default"), { type: "RuntimeDefault" });
    assert.deepEqual(seccompFromAnnotation("localhost/audit.json"), { type: "Localhost", localhostProfile: "audit.json" });
    assert.equal(seccompFromAnnotation("localhost/"), undefined);
    assert.equal(seccompFromAnnotation("bogus"), undefined);
    assert.equal(appArmorFromAnnotation("docker/default"), undefined);
    assert.deepEqual(appArmorFromAnnotation("runtime/default"), { type: "RuntimeDefault" });
  });

  it("allows privilege escalation unless it is false and nothing forces it", () => {
    const rows: [string, boolean][] = [
      ["{}", true],
      ["{allowPrivilegeEscalation: true}", true],
      ["{allowPrivilegeEscalation: false}", false],
      ["{allowPrivilegeEscalation: false, privileged: true}", true],
      ["{allowPrivilegeEscalation: false, capabilities: {add: [CAP_SYS_ADMIN]}}", true],
      ["{allowPrivilegeEscalation: false, capabilities: {add: [sys_admin]}}", true],
      ["{allowPrivilegeEscalation: false, capabilities: {add: [ALL]}}", true],
      ["{allowPrivilegeEscalation: false, capabilities: {add: [NET_BIND_SERVICE]}}", false],
      ["{allowPrivilegeEscalation: false, privileged: false}", false],
    ];
    for (const [sc, expected] of rows) assert.equal(containerWith("{}", sc).effective.allowPrivilegeEscalationEffective, expected, sc);
  });

  it("names capabilities as the runtime does", () => {
    assert.deepEqual(["CAP_NET_RAW", "net_raw", " SYS_ADMIN "].map(capabilityName), ["NET_RAW", "NET_RAW", "SYS_ADMIN"]);
  });

  it("warns about values of the wrong type, once, and counts them as unset", () => {
    const w = workloadIn(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: "1000"}\n  containers:\n  - name: a\n    securityContext: {privileged: "true"}\n  - name: b\n',
    );
    assert.deepEqual(
      w.containers.map((c) => [c.effective.privileged.value, c.effective.runAsUser.value]),
      [
        [undefined, undefined],
        [undefined, undefined],
      ],
    );
    assert.deepEqual(
      w.warnings.map((e) => e.message),
      ["w.yaml line 8: $.spec.containers[0].securityContext.privileged: expected a boolean, got a string", "w.yaml line 5: $.spec.securityContext.runAsUser: expected an integer, got a string"],
    );
  });
});

describe("service accounts", () => {
  const pod = (namespace: string, spec: string): string => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${namespace}}\nspec: {${spec}containers: [{name: a}]}\n`;
  const account = (name: string, namespace: string, automount: string): string => `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${name}${namespace}}\nautomountServiceAccountToken: ${automount}\n`;

  it("reads the deprecated serviceAccount field when serviceAccountName is unset", () => {
    const w = workloadIn(pod("", "serviceAccount: legacy, "));
    assert.deepEqual(seen(w.pod.serviceAccountName), ["legacy", "pod", "$.spec.serviceAccount", 4]);
    assert.equal(w.pod.serviceAccountName.fix.path, "$.spec.serviceAccountName");
  });

  it("matches the ServiceAccount by namespace and name, `default` when unnamed", () => {
    const objects = objectsIn([pod(", namespace: team-a", ""), account("default", ", namespace: team-a", "false"), account("default", "", "true")].join("---\n"));
    const accounts = serviceAccountsOf(objects);
    const [w] = workloadsOf(objects);
    const decided = tokenAutomount(w!, accounts);
    assert.deepEqual([decided.value, decided.from, decided.serviceAccount?.namespace, decided.line], [false, "service-account", "team-a", 9]);
    assert.equal(accounts.find("team-b", "default"), undefined);
    assert.equal(accounts.find(undefined, "default")?.namespace, undefined);
  });
});

describe("a rule written on this model", () => {
  const privileged = defineRule<Workload>({
    id: "PCS-K8S-001",
    title: "Container runs privileged",
    severity: "high",
    why: "A privileged container has every capability and the host's devices.",
    remediation: "Set securityContext.privileged to false.",
    references: [],
    mappings: { trivy: ["KSV-0017"] },
    check: (w) =>
      w.containers.flatMap((c): Hit[] => {
        const p = c.effective.privileged;
        if (p.value !== true) return [];
        return [
          {
            evidence: `${p.path} is true`,
            location: { path: w.object.file, line: p.line, resource: w.object.resource, container: c.name, jsonPath: p.path },
            fix: { description: "set securityContext.privileged to false", jsonPath: p.fix.path, value: false },
          },
        ];
      }),
  });

  it("points its finding at the line that set the value", () => {
    const [w] = workloadsOf(objectsIn(fixture("deployment.yaml"), "storefront.yaml"));
    const findings = privileged.check(w!).map((hit) => toFinding(privileged, hit));
    assert.deepEqual(
      findings.map((f) => [f.location?.path, f.location?.line, f.location?.container, f.fix?.jsonPath]),
      [["storefront.yaml", 59, "log-shipper", "$.spec.template.spec.containers[1].securityContext.privileged"]],
    );
  });
});
