import { test } from "node:test";
import assert from "node:assert/strict";
import { configSecrets } from "./image-config.js";
import { redactSecrets } from "./scan-text.js";

// Shaped like real tokens, made up for this test (not documented examples).
const GITLAB = "glpat-Zq8Rw2Tn5Vb7Xc1Km3Lp";
const STRIPE = "sk_live_4fRt7YhN2kLm9QwE3zXc8VbA";

test("secrets in the environment and the build history point at their JSON path and the layer the step made", () => {
  const findings = configSecrets({
    Env: ["PATH=/usr/local/bin:/usr/bin", `STRIPE_API_KEY=${STRIPE}`],
    history: [{ created_by: "/bin/sh -c #(nop) ADD file:abc in /", layer: "sha256:1111" }, { created_by: "/bin/sh -c #(nop) ARG GITLAB_TOKEN" }, { created_by: `|1 GITLAB_TOKEN=${GITLAB} /bin/sh -c make`, layer: "sha256:2222" }],
  });
  assert.deepEqual(
    findings.map((f) => `${f.id} ${f.location?.jsonPath} ${f.location?.layer ?? "-"}`),
    ["PCS-SEC-011 $.config.Env[1] -", "PCS-SEC-008 $.history[2].created_by sha256:2222"],
  );
  assert.ok(!JSON.stringify(findings).includes(STRIPE) && !JSON.stringify(findings).includes(GITLAB));
});

test("redactSecrets keeps the text around each secret and replaces the secret with its redacted form", () => {
  const text = `|2 GITLAB_TOKEN=${GITLAB} STRIPE=${STRIPE} /bin/sh -c make install`;
  const redacted = redactSecrets(text);
  assert.ok(!redacted.includes(GITLAB) && !redacted.includes(STRIPE));
  assert.match(redacted, /^\|2 GITLAB_TOKEN=glpat-\*+… \(sha256:[0-9a-f]{16}\) STRIPE=sk_live_\*+… \(sha256:[0-9a-f]{16}\) \/bin\/sh -c make install$/);
  assert.equal(redactSecrets("/bin/sh -c apt-get update"), "/bin/sh -c apt-get update");
});
