/**
 * PCS-CMP-010: secrets written into a Compose file's `environment`. The
 * file is committed and shared, and the values show in `docker inspect`.
 * Values compose takes from the shell or an .env file (`${DB_PASSWORD}`, or
 * a bare name) pass; evidence is redacted.
 */
import { secretIn } from "../../secret-values.js";
import { hasVariable } from "../load.js";
import { composeRule, hitAt, type Hit } from "./rule.js";

export const environmentSecrets = composeRule({
  id: "PCS-CMP-010",
  title: "Secret written in a service's environment",
  severity: "high",
  why: "A secret in the Compose file is in version control, in every copy of the file, and readable by anyone with `docker inspect` on the container.",
  remediation: "Use Compose `secrets:` (mounted as files under /run/secrets) or take the value from the environment of whoever runs compose (`DB_PASSWORD: ${DB_PASSWORD:?}` with an uncommitted .env file).",
  references: ["https://docs.docker.com/compose/how-tos/use-secrets/", "https://docs.docker.com/compose/how-tos/environment-variables/set-environment-variables/"],
  mappings: {},
  check(service) {
    const hits: Hit[] = [];
    for (const v of service.environment) {
      if (v.value === undefined || hasVariable(v.value)) continue;
      const seen = secretIn(v.name, v.value);
      if (!seen) continue;
      hits.push(hitAt(service, v.keys, `services.${service.name}.environment: ${seen.evidence} (${seen.reason})`, `take ${v.name} from the environment (\${${v.name}:?}) or use Compose secrets`, `\${${v.name}:?}`));
    }
    return hits;
  },
});
