/**
 * Secrets written into a container's environment. A literal `value` counts
 * when the secret detectors recognise it (a token, a private key, a
 * high-entropy password) or when the variable's name says it holds a secret
 * (DB_PASSWORD, API_KEY); `valueFrom` and `$(OTHER_VAR)` references pass.
 * Evidence is always redacted: a finding never repeats the secret.
 */
import { secretIn } from "../../secret-values.js";
import { containerRule, containerText, hitAt, records } from "./rule.js";

/** `$(DB_PASSWORD)`: Kubernetes expands it from another variable of the container. */
const VARIABLE_REFERENCE = /^\$\([A-Za-z_][A-Za-z0-9_.-]*\)$/;

export const secretInEnv = containerRule({
  id: "PCS-K8S-027",
  title: "Secret written as a literal environment value",
  severity: "high",
  why: "A secret in the manifest is in version control, in every copy of the file and in the object the API server stores and shows to anyone who can read the workload; Secrets are stored and granted separately.",
  remediation: "Put the value in a Secret and refer to it with `valueFrom.secretKeyRef` (or mount the Secret as a file), and rotate the exposed secret.",
  references: ["https://kubernetes.io/docs/concepts/configuration/secret/", "https://kubernetes.io/docs/concepts/security/secrets-good-practices/"],
  mappings: { kubescape: ["C-0012"], kubeLinter: ["env-var-secret"] },
  checkContainer(c, w) {
    return records(c.raw["env"]).flatMap(([env, i]) => {
      const { name, value } = env;
      if (typeof name !== "string" || typeof value !== "string" || env["valueFrom"] !== undefined || VARIABLE_REFERENCE.test(value.trim())) return [];
      const seen = secretIn(name, value);
      if (!seen) return [];
      const keys = [...c.keys, "env", i];
      return [
        hitAt(w.object, [...keys, "value"], `env ${seen.evidence} (${seen.reason}) (${containerText(c)})`, { description: `move the value of ${name} into a Secret and replace value with valueFrom.secretKeyRef`, keys }, c),
      ];
    });
  },
});
