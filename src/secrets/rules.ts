/**
 * The secret rule catalog: every detector with its metadata, in id order.
 * `portcullis rules list`, the docs and SARIF read this list; `scanText` runs
 * it. Trivy's secret rule ids are in `mappings.trivy` where Trivy has one.
 */
import { placeholderReason } from "./allow.js";
import { findAssignments, type Assignment } from "./assignments.js";
import { characterClasses, shannonEntropy } from "./entropy.js";
import { findPrivateKeys } from "./pem.js";
import { defineSecretRule, tokenRule, type Candidate, type SecretRule } from "./rule.js";

/** Bump when the matches for the same input change: part of the cache key of stored secret results. */
export const SECRET_RULES_VERSION = 1;

const DOCKER_BUILD_SECRETS = "https://docs.docker.com/build/building/secrets/";
const OWASP_SECRETS = "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html";

/** The part of every remediation that is about the image. */
const OUT_OF_THE_IMAGE =
  "Then rebuild the image without it — a file deleted in a later layer still sits in the layer that added it — and pass the secret at run time (an orchestrator secret, a mounted file) or to the build with `RUN --mount=type=secret`.";

/**
 * The ranges within `radius` of each offset, overlapping ones merged, so a
 * text with thousands of anchors is still searched once around them.
 */
function windowsAround(offsets: readonly number[], radius: number, length: number): [number, number][] {
  const out: [number, number][] = [];
  for (const at of [...offsets].sort((a, b) => a - b)) {
    const lo = Math.max(0, at - radius);
    const hi = Math.min(length, at + radius);
    const last = out[out.length - 1];
    if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** "spring.datasource.password" → "springdatasourcepassword": what key checks compare. */
function normalKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function candidateOf(a: Assignment, maskOnly = false): Candidate {
  const c: Candidate = { start: a.valueStart, end: a.valueEnd };
  if (maskOnly) c.maskOnly = true;
  return c;
}

// ---------------------------------------------------------------- AWS

const AWS_KEY_ID = /(?<![A-Za-z0-9+/])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9+/=])/g;
const AWS_SECRET_SHAPE = /^[A-Za-z0-9/+]{40}$/;
const AWS_SECRET_NEAR = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
/** How far from an access key id a secret access key is looked for. */
const AWS_NEAR_CHARS = 600;

/** 40 characters of the secret key alphabet, both cases, spread like random bytes rather than a word or a hex digest. */
function awsSecretShaped(v: string, minEntropy: number): boolean {
  return AWS_SECRET_SHAPE.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v) && shannonEntropy(v) >= minEntropy;
}

const awsAccessKeyId = tokenRule({
  id: "PCS-SEC-001",
  title: "AWS access key ID",
  severity: "high",
  why: "An access key ID names a long-term (AKIA) or temporary (ASIA) AWS credential; its secret access key is usually stored beside it, and the ID alone tells an attacker which account to target.",
  remediation: `Find the key pair in IAM and deactivate and delete it, after checking CloudTrail for its use (for a temporary ASIA key, revoke the role's active sessions). ${OUT_OF_THE_IMAGE} Prefer roles (instance profiles, IRSA, ECS task roles) to access keys.`,
  references: ["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html", DOCKER_BUILD_SECRETS],
  mappings: { trivy: ["aws-access-key-id"] },
  keywords: ["akia", "asia"],
  patterns: [AWS_KEY_ID],
  shown: (t) => t.slice(0, 4),
});

const awsSecretAccessKey = defineSecretRule({
  id: "PCS-SEC-002",
  title: "AWS secret access key",
  severity: "critical",
  why: "A secret access key signs AWS API requests with every permission of its IAM user or role, from anywhere, until it is deleted.",
  remediation: `Deactivate and delete the access key in IAM (for temporary credentials, revoke the role's active sessions), check CloudTrail for its use, and issue a new one only if a role cannot replace it. ${OUT_OF_THE_IMAGE}`,
  references: ["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html", DOCKER_BUILD_SECRETS],
  mappings: { trivy: ["aws-secret-access-key"] },
  keywords: ["secret", "akia", "asia"],
  find(text) {
    const byStart = new Map<number, Candidate>();
    // Assigned to an AWS-ish name: aws_secret_access_key = …, "SecretAccessKey": "…"
    for (const a of findAssignments(text, /secret/gi)) {
      const k = normalKey(a.key);
      const awsName = (k.includes("aws") && k.includes("secret")) || k.endsWith("secretaccesskey");
      if (awsName && awsSecretShaped(a.value, 3.5) && !placeholderReason(a.value)) byStart.set(a.valueStart, candidateOf(a));
    }
    // Near an access key id, whatever it is called: credential exports, CSV downloads, one-line configs.
    if (text.includes("AKIA") || text.includes("ASIA")) {
      const ids = [...text.matchAll(AWS_KEY_ID)].map((id) => id.index + 10);
      for (const [lo, hi] of windowsAround(ids, AWS_NEAR_CHARS + 10, text.length)) {
        const window = text.slice(lo, hi);
        for (const s of window.matchAll(AWS_SECRET_NEAR)) {
          const start = lo + s.index;
          const end = start + 40;
          if (start > 0 && /[A-Za-z0-9/+]/.test(text.charAt(start - 1))) continue; // cut by the window
          if (end < text.length && /[A-Za-z0-9/+=]/.test(text.charAt(end))) continue;
          if (awsSecretShaped(s[0], 4.0) && !byStart.has(start)) byStart.set(start, { start, end });
        }
      }
    }
    return [...byStart.values()];
  },
});

// ---------------------------------------------------------------- Google

const GCP_SA_TYPE = /"type"[ \t\r\n]{0,8}:[ \t\r\n]{0,8}"service_account"/g;
const GCP_PRIVATE_KEY = /"private_key"[ \t\r\n]{0,8}:[ \t\r\n]{0,8}"/g;
/** How far from `"type": "service_account"` the object's private_key is looked for. */
const GCP_NEAR_CHARS = 16 * 1024;

/** The end (offset of the closing quote) of a JSON string starting at `from`, or -1. */
function jsonStringEnd(text: string, from: number, max: number): number {
  for (let j = from; j < text.length && j - from <= max; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) return j;
    if (c === 10 || c === 13) return -1;
    if (c === 92) j++;
  }
  return -1;
}

const gcpServiceAccountKey = defineSecretRule({
  id: "PCS-SEC-003",
  title: "Google Cloud service account key",
  severity: "critical",
  why: "A service account key file holds an RSA private key that authenticates as the service account, with all its IAM roles, until the key is deleted.",
  remediation: `Delete the key in IAM (Service accounts → Keys), check the audit logs for its use, and move to keyless authentication: attached service accounts or workload identity federation. ${OUT_OF_THE_IMAGE}`,
  references: ["https://cloud.google.com/iam/docs/keys-create-delete", "https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys", DOCKER_BUILD_SECRETS],
  mappings: { trivy: ["gcp-service-account"] },
  keywords: ["service_account"],
  find(text) {
    const out: Candidate[] = [];
    const seen = new Set<number>();
    const types = [...text.matchAll(GCP_SA_TYPE)].map((t) => t.index);
    for (const [lo, hi] of windowsAround(types, GCP_NEAR_CHARS, text.length)) {
      const window = text.slice(lo, hi);
      for (const k of window.matchAll(GCP_PRIVATE_KEY)) {
        const start = lo + k.index + k[0].length;
        if (seen.has(start)) continue;
        seen.add(start);
        const end = jsonStringEnd(text, start, GCP_NEAR_CHARS);
        if (end < 0) continue;
        let pem: string;
        try {
          pem = JSON.parse(`"${text.slice(start, end)}"`) as string;
        } catch {
          continue;
        }
        const key = findPrivateKeys(pem)[0];
        if (key) out.push({ start, end, secret: key.body, shown: key.beginLine });
      }
    }
    return out;
  },
});

const googleApiKey = tokenRule({
  id: "PCS-SEC-004",
  title: "Google API key",
  severity: "medium",
  why: "A Google API key bills its project for the APIs it may call. Keys meant for browsers (Maps, Firebase) are public by design when restricted to referrers and APIs; an unrestricted key can be abused from anywhere.",
  remediation: `Restrict the key to the APIs and the referrers, IP addresses or apps that need it, or delete and recreate it if it was never meant to be public. ${OUT_OF_THE_IMAGE}`,
  references: ["https://cloud.google.com/docs/authentication/api-keys", "https://cloud.google.com/api-keys/docs/add-restrictions-api-keys"],
  mappings: {},
  keywords: ["aiza"],
  patterns: [/(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g],
  shown: () => "AIza",
});

// ---------------------------------------------------------------- Azure

const azureStorageKey = defineSecretRule({
  id: "PCS-SEC-005",
  title: "Azure storage account key",
  severity: "critical",
  why: "A storage account key (alone or in a connection string's AccountKey=) grants full access to every blob, file share, queue and table of the account and signs SAS tokens for them.",
  remediation: `Rotate the key in the storage account's Access keys (and the other key once clients moved), and switch clients to Microsoft Entra ID or user-delegation SAS; consider disallowing shared key access. ${OUT_OF_THE_IMAGE}`,
  references: ["https://learn.microsoft.com/en-us/azure/storage/common/storage-account-keys-manage", "https://learn.microsoft.com/en-us/azure/storage/common/shared-key-authorization-prevent"],
  mappings: {},
  keywords: ["accountkey", "account_key", "account-key", "account.key", "storagekey", "storage_key", "storage-key", "storage.key"],
  find(text) {
    return findAssignments(text, /account[_.-]?key|storage[_.-]?key/gi)
      .filter((a) => /(?:account|storage)key$/.test(normalKey(a.key)) && /^[A-Za-z0-9+/]{86}==$/.test(a.value))
      .map((a) => candidateOf(a));
  },
});

/** Microsoft Entra client secrets made since 2022: three characters, a digit, `Q~`, then 31 to 34 more. */
const ENTRA_SECRET_SHAPE = /^[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}$/;

const azureClientSecret = defineSecretRule({
  id: "PCS-SEC-006",
  title: "Azure client secret",
  severity: "high",
  why: "A Microsoft Entra application's client secret authenticates as the application (service principal) with every role and API permission granted to it.",
  remediation: `Delete the secret under the app registration's Certificates & secrets, review the sign-in logs of the service principal, and prefer managed identities or workload identity federation to secrets. ${OUT_OF_THE_IMAGE}`,
  references: ["https://learn.microsoft.com/en-us/entra/identity-platform/how-to-add-credentials", "https://learn.microsoft.com/en-us/entra/identity/managed-identities-azure-resources/overview"],
  mappings: {},
  keywords: ["azure", "client_secret", "clientsecret", "client-secret"],
  find(text) {
    const out: Candidate[] = [];
    for (const a of findAssignments(text, /secret/gi)) {
      const k = normalKey(a.key);
      const v = a.value;
      const named = (k.includes("azure") && k.endsWith("secret")) || (k.endsWith("clientsecret") && ENTRA_SECRET_SHAPE.test(v));
      if (!named || placeholderReason(v)) continue;
      if (v.length < 24 || v.length > 128 || /\s/.test(v) || shannonEntropy(v) < 3.5) continue;
      out.push(candidateOf(a));
    }
    return out;
  },
});

// ---------------------------------------------------------------- code hosts

const githubToken = tokenRule({
  id: "PCS-SEC-007",
  title: "GitHub token",
  severity: "critical",
  why: "A GitHub token (personal access token ghp_ or github_pat_, OAuth gho_, user-to-server ghu_, installation ghs_, refresh ghr_) acts as its user or app on the repositories and organisations it can reach: reading private code, pushing, publishing packages.",
  remediation: `Revoke the token (Settings → Developer settings, or the app's installation), review the security log for its use, and give builds a short-lived token instead (GITHUB_TOKEN, an app installation token) through a build secret. ${OUT_OF_THE_IMAGE}`,
  references: ["https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats", "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/token-expiration-and-revocation"],
  mappings: { trivy: ["github-pat", "github-oauth", "github-app-token", "github-refresh-token", "github-fine-grained-pat"] },
  keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
  patterns: [/(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])/g, /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{70,244}(?![A-Za-z0-9_])/g],
  shown: (t) => (t.startsWith("github_pat_") ? "github_pat_" : t.slice(0, 4)),
});

const gitlabToken = tokenRule({
  id: "PCS-SEC-008",
  title: "GitLab token",
  severity: "critical",
  why: "A GitLab personal access token (glpat-) acts as its user through the API, Git and the registries; a runner authentication token (glrt-) lets anyone register as the runner and receive CI jobs with their secrets.",
  remediation: `Revoke the token (User settings → Access tokens, or reset the runner's token), review the audit events, and pass CI credentials as masked CI/CD variables or job tokens. ${OUT_OF_THE_IMAGE}`,
  references: ["https://docs.gitlab.com/security/tokens/", "https://docs.gitlab.com/user/profile/personal_access_tokens/"],
  mappings: { trivy: ["gitlab-pat"] },
  keywords: ["glpat-", "glrt-"],
  patterns: [/(?<![A-Za-z0-9_-])gl(?:pat|rt)-[A-Za-z0-9_-]{20,200}(?![A-Za-z0-9_-])/g],
  shown: (t) => t.slice(0, t.indexOf("-") + 1),
});

// ---------------------------------------------------------------- Slack

const slackToken = tokenRule({
  id: "PCS-SEC-009",
  title: "Slack token",
  severity: "high",
  why: "A Slack bot (xoxb-), user (xoxp-), app (xoxa-) or refresh (xoxr-, xoxe-) token reads and posts in the workspace with its scopes: channel history, files, user lists.",
  remediation: `Revoke the token (the app's OAuth & Permissions page, or auth.revoke) and reinstall the app for a new one. ${OUT_OF_THE_IMAGE}`,
  references: ["https://api.slack.com/authentication/token-types", "https://api.slack.com/methods/auth.revoke"],
  mappings: { trivy: ["slack-access-token"] },
  keywords: ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxe-"],
  patterns: [/(?<![A-Za-z0-9_-])xox[bpare]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9_-])/g],
  accept: (t) => t.length >= 25 && /[0-9]/.test(t.slice(5)) && t.slice(5).includes("-"),
  shown: (t) => t.slice(0, 5),
});

const SLACK_HOOK_PREFIX = /^https:\/\/hooks\.slack\.com\/[a-z]+\//;

const slackWebhook = tokenRule({
  id: "PCS-SEC-010",
  title: "Slack incoming webhook URL",
  severity: "medium",
  why: "Anyone with an incoming webhook URL can post messages into its channel as the app — the classic material for convincing phishing inside a workspace.",
  remediation: `Remove the webhook in the app's Incoming Webhooks settings and create a new one. ${OUT_OF_THE_IMAGE}`,
  references: ["https://api.slack.com/messaging/webhooks"],
  mappings: { trivy: ["slack-web-hook"] },
  keywords: ["hooks.slack.com"],
  patterns: [/https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,200}(?![A-Za-z0-9_/-])/g],
  accept: (t) => t.replace(SLACK_HOOK_PREFIX, "").includes("/"),
  shown: (t) => SLACK_HOOK_PREFIX.exec(t)?.[0] ?? "",
});

// ---------------------------------------------------------------- Stripe

const stripeLiveKey = tokenRule({
  id: "PCS-SEC-011",
  title: "Stripe live secret key",
  severity: "critical",
  why: "A live-mode secret (sk_live_) or restricted (rk_live_) key moves real money: charges, refunds, payouts and customer data, within its permissions.",
  remediation: `Roll the key in the Stripe dashboard (Developers → API keys), review the request logs, and use restricted keys with the least permissions. ${OUT_OF_THE_IMAGE}`,
  references: ["https://docs.stripe.com/keys", "https://docs.stripe.com/keys-best-practices"],
  mappings: { trivy: ["stripe-secret-token"] },
  keywords: ["sk_live_", "rk_live_"],
  patterns: [/(?<![A-Za-z0-9_])[rs]k_live_[A-Za-z0-9]{20,247}(?![A-Za-z0-9_])/g],
  shown: (t) => t.slice(0, 8),
});

const stripeTestKey = tokenRule({
  id: "PCS-SEC-012",
  title: "Stripe test-mode secret key",
  severity: "low",
  why: "A test-mode key (sk_test_, rk_test_) touches no real money, but it exposes the account's test data and configuration and is often a sign that the live key is handled the same way.",
  remediation: `Roll the key in the Stripe dashboard and load keys from the environment or a secret store. ${OUT_OF_THE_IMAGE}`,
  references: ["https://docs.stripe.com/keys"],
  mappings: { trivy: ["stripe-secret-token"] },
  keywords: ["sk_test_", "rk_test_"],
  patterns: [/(?<![A-Za-z0-9_])[rs]k_test_[A-Za-z0-9]{20,247}(?![A-Za-z0-9_])/g],
  shown: (t) => t.slice(0, 8),
});

// ---------------------------------------------------------------- npm

const npmToken = tokenRule({
  id: "PCS-SEC-013",
  title: "npm access token",
  severity: "critical",
  why: "An npm access token publishes packages as its user — the way supply-chain attacks reach everyone who installs them — and reads private packages.",
  remediation: `Revoke the token (npmjs.com → Access Tokens, or \`npm token revoke\`), check the packages it could publish, and use granular tokens or trusted publishing from CI. ${OUT_OF_THE_IMAGE}`,
  references: ["https://docs.npmjs.com/about-access-tokens", "https://docs.npmjs.com/revoking-access-tokens"],
  mappings: { trivy: ["npm-access-token"] },
  keywords: ["npm_"],
  patterns: [/(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g],
  shown: () => "npm_",
});

const NPMRC_KEYS = new Set(["_authtoken", "_auth", "_password", "npmauthtoken", "npmauthident"]);

/** The key stands where .npmrc or .yarnrc.yml put it: after a registry scope's `:` or at the start of its line. */
function npmrcPlace(text: string, keyStart: number): boolean {
  let i = keyStart - 1;
  if (text.charCodeAt(i) === 58 /* : */) return true;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  return i < 0 || text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13;
}

const npmrcCredential = defineSecretRule({
  id: "PCS-SEC-014",
  title: "Registry credential in an npm configuration",
  severity: "high",
  why: "An .npmrc `_authToken`, `_auth` or `_password` (or .yarnrc.yml `npmAuthToken`) logs in to a package registry: whoever reads it can install private packages and often publish.",
  remediation: `Revoke the token or change the password at the registry. Write \`//registry…/:_authToken=\${NPM_TOKEN}\` instead and provide the variable, or mount the .npmrc as a build secret (\`RUN --mount=type=secret,id=npmrc,target=/home/node/.npmrc npm ci\`). ${OUT_OF_THE_IMAGE}`,
  references: ["https://docs.npmjs.com/cli/configuring-npm/npmrc#auth-related-configuration", DOCKER_BUILD_SECRETS],
  mappings: {},
  keywords: ["_auth", "_password", "npmauth"],
  find(text) {
    return findAssignments(text, /_authtoken|_auth|_password|npmauthtoken|npmauthident/gi)
      .filter(
        (a) =>
          NPMRC_KEYS.has(a.key.toLowerCase()) &&
          npmrcPlace(text, a.keyStart) &&
          a.value.length >= 8 &&
          shannonEntropy(a.value) >= 3 &&
          !placeholderReason(a.value),
      )
      .map((a) => candidateOf(a));
  },
});

// ---------------------------------------------------------------- keys and tokens

const privateKey = defineSecretRule({
  id: "PCS-SEC-015",
  title: "Private key",
  severity: "high",
  why: "An unencrypted private key (PEM RSA, EC, DSA, PKCS#8, OpenSSH, PGP) is the identity itself: whoever holds it can impersonate the server or user, decrypt what was encrypted to it, or sign as it.",
  remediation: `Treat the key as compromised: revoke its certificate or remove its public key from authorized_keys and the services that trust it, and make a new one. ${OUT_OF_THE_IMAGE}`,
  references: ["https://datatracker.ietf.org/doc/html/rfc7468", DOCKER_BUILD_SECRETS],
  mappings: { trivy: ["private-key"] },
  keywords: ["private key"],
  find(text) {
    return findPrivateKeys(text)
      .filter((k) => !k.encrypted)
      .map((k) => ({ start: k.start, end: k.end, secret: k.body, shown: k.beginLine }));
  },
});

const encryptedPrivateKey = defineSecretRule({
  id: "PCS-SEC-016",
  title: "Passphrase-protected private key",
  severity: "low",
  why: "A private key encrypted with a passphrase (ENCRYPTED PRIVATE KEY, Proc-Type: 4,ENCRYPTED, an OpenSSH key with a cipher) is safe only as long as the passphrase is strong and kept elsewhere; it can be attacked offline by anyone who pulls the image.",
  remediation: `Keep keys out of images even when encrypted; rotate it if the passphrase is weak or stored in the image too. ${OUT_OF_THE_IMAGE}`,
  references: ["https://datatracker.ietf.org/doc/html/rfc5958", DOCKER_BUILD_SECRETS],
  mappings: { trivy: ["private-key"] },
  keywords: ["private key"],
  find(text) {
    return findPrivateKeys(text)
      .filter((k) => k.encrypted)
      .map((k) => ({ start: k.start, end: k.end, secret: k.body, shown: k.beginLine }));
  },
});

function jsonObjectOf(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const jwt = tokenRule({
  id: "PCS-SEC-017",
  title: "JSON Web Token",
  severity: "medium",
  why: "A signed JWT is a bearer credential: until it expires, whoever presents it is the subject it names (Kubernetes service account tokens, API sessions, CI tokens).",
  remediation: `Revoke the token where the issuer allows it (delete the service account token Secret, end the session) or rotate the signing key, and fetch tokens at run time rather than storing them. ${OUT_OF_THE_IMAGE}`,
  references: ["https://datatracker.ietf.org/doc/html/rfc7519", "https://datatracker.ietf.org/doc/html/rfc8725"],
  mappings: { trivy: ["jwt-token"] },
  keywords: ["eyj"],
  patterns: [/(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,2000}\.[A-Za-z0-9_-]{2,16000}\.[A-Za-z0-9_-]{16,2000}(?![A-Za-z0-9_-])/g],
  accept(t) {
    const [header, payload] = t.split(".");
    const h = header === undefined ? undefined : jsonObjectOf(header);
    // A JWS header says its algorithm; a JWE header (five parts, "enc") is not a signed token.
    return h !== undefined && typeof h["alg"] === "string" && !("enc" in h) && payload !== undefined && jsonObjectOf(payload) !== undefined;
  },
  shown: () => "eyJ",
});

// ---------------------------------------------------------------- passwords

const CONNECTION_URL =
  /(?<![A-Za-z0-9+.-])(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?)(?:\+[A-Za-z0-9]{1,20})?:\/\/(?<user>[^\s:@/"'`]{0,256}):(?<password>[^\s@/"'`]{1,256})@/dgi;

function decodedOrRaw(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const connectionStringPassword = defineSecretRule({
  id: "PCS-SEC-018",
  title: "Password in a connection string",
  severity: "high",
  why: "A database or message broker URL with user:password@ logs in to that service — usually with the application's full access to its data — from anywhere the service is reachable.",
  remediation: `Change the password (or rotate the user's credentials) and give the application the URL, or the password alone, from the environment or a mounted secret at run time. ${OUT_OF_THE_IMAGE}`,
  references: ["https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS", "https://www.mongodb.com/docs/manual/reference/connection-string/", OWASP_SECRETS],
  mappings: {},
  keywords: ["postgres", "mysql", "mariadb", "mongodb", "redis", "amqp"],
  find(text) {
    const out: Candidate[] = [];
    for (const m of text.matchAll(CONNECTION_URL)) {
      const span = m.indices?.groups?.["password"];
      const user = decodedOrRaw(m.groups?.["user"] ?? "");
      const password = decodedOrRaw(m.groups?.["password"] ?? "");
      if (!span || password === user || placeholderReason(password)) continue;
      out.push({ start: span[0], end: span[1] });
    }
    return out;
  },
});

/** Key names that hold secrets, compared with the separators removed; the key must end with one. */
const SECRET_NOUNS = [
  "password", "passwd", "passphrase", "secret", "secretkey", "secretkeybase", "apikey", "apisecret", "token",
  "credential", "credentials", "privatekey", "encryptionkey", "signingkey", "masterkey",
];
/** Short nouns that must start a word of the key: `DB_PASS`, `dbPwd`, `_auth` — not `bypass`, `oauth`. */
const SHORT_SECRET_NOUNS = ["pass", "pwd", "auth"];

/** Whether a key names a secret: it ends with a secret noun (`DB_PASSWORD`, `apiKey`, `spring.datasource.password`). */
export function isSecretKeyName(key: string): boolean {
  const k = normalKey(key);
  if (SECRET_NOUNS.some((n) => k.endsWith(n))) return true;
  for (const n of SHORT_SECRET_NOUNS) {
    if (!key.toLowerCase().endsWith(n)) continue;
    const at = key.length - n.length;
    if (at === 0) return true;
    const before = key.charAt(at - 1);
    if (before === "_" || before === "." || before === "-") return true;
    if (/[a-z0-9]/.test(before) && /[A-Z]/.test(key.charAt(at))) return true;
  }
  return false;
}

/**
 * Words rather than a token: identifiers and member chains without digits
 * (`req.body.password`, `config.apiKey`, `dbPassword`, `db_password`), lists
 * of choices (`true|false`), and two or three hyphenated words
 * (`always-impersonate`). Random tokens almost always hold digits or runs of
 * capitals; four or more hyphenated words may be a passphrase and are kept.
 */
const WORDS =
  /^(?:[A-Za-z_$][A-Za-z_$]{0,64}(?:\.[A-Za-z_$][A-Za-z_$]{0,64}){1,8}|[A-Za-z][a-z]{1,32}(?:[A-Z][a-z]{1,32}){1,8}|[a-z]{1,32}(?:_[a-z]{1,32}){1,8}|[A-Za-z]{1,32}(?:\|[A-Za-z]{1,32}){1,8}|[a-z]{2,32}(?:-[a-z]{2,32}){1,2})$/;

/**
 * A word or identifier rather than a generated secret (`Optional`,
 * `Whitespace`, `_RSAPrivateKey`, `isJSXToken`, `#mesondefine`): no digits, at
 * most two symbols, and made of words — split at case changes, its parts
 * average three letters or more and those of four or more with lower case
 * have a vowel. Random mixed-case letters split into parts of about two.
 */
export function wordLike(value: string): boolean {
  if (value.length >= 32 || /[0-9]/.test(value) || value.replace(/[A-Za-z]/g, "").length > 2) return false;
  const parts = value.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? [];
  if (parts.length === 0 || parts.join("").length / parts.length < 3) return false;
  return parts.every((p) => p.length < 4 || !/[a-z]/.test(p) || /[aeiouy]/i.test(p));
}

/** Shortest value reported by the generic rule, and the entropy and character classes it needs. */
export const GENERIC_MIN_LENGTH = 8;
export const GENERIC_MIN_ENTROPY = 3.0;
export const GENERIC_MIN_CLASSES = 2;

/**
 * What the generic rule makes of a value under a secret-looking key:
 * `report`; `mask` (a real but short or plain value: not reported, never
 * shown); `skip` (a reference, a URL, a path, code, prose, words — nothing
 * secret to hide). `quoted` says whether the value was written in quotes:
 * an unquoted value in source code is an expression, not a literal.
 */
export function genericVerdict(value: string, quoted = true): "report" | "mask" | "skip" {
  if (placeholderReason(value)) return "skip";
  if (/\s/.test(value)) return "skip"; // prose: "A secret word used to…", "optional; leave empty"
  if (/^[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\//.test(value)) return "skip"; // a URL: connection strings have their own rule
  if (/^(?:~|\.{1,2})?\//.test(value) && /^[\w.~/-]+$/.test(value)) return "skip"; // a path: /run/secrets/db
  if (/^_{0,2}[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value)) return "skip"; // the name of a variable: DB_PASSWORD
  if (WORDS.test(value) || wordLike(value)) return "skip";
  if (!quoted && (/[()[\]{}]/.test(value) || /^[!\\*&%]/.test(value) || /\$[A-Za-z0-9_{(]/.test(value))) return "skip"; // an expression: tokens[i], !!node.x, \&code, Token$1, abc$HOME
  if (!quoted && DOTTED_NAME.test(value)) return "skip"; // a member: ed25519.Ed25519PrivateKey
  if (value.length < GENERIC_MIN_LENGTH) return "mask";
  if (shannonEntropy(value) < GENERIC_MIN_ENTROPY || characterClasses(value) < GENERIC_MIN_CLASSES) return "mask";
  return "report";
}

/** A chain of names with digits, unquoted: code (`ed25519.Ed25519PrivateKey`, `hashes.SHA256`), not a password. */
const DOTTED_NAME = /^[A-Za-z_$][\w$]{0,64}(?:\.[A-Za-z_$][\w$]{0,64}){1,8}$/;

/** `Bearer …`, `Basic …`, `token …`: the scheme of an Authorization value, before the credential. */
const AUTH_SCHEME = /^(?:Bearer|Basic|Token|token|bearer|basic)[ \t]{1,8}/;

/**
 * The query string of a badge image (`…/badge.svg?token=…`): services such
 * as Codecov put read-only graph tokens there, meant to be published in READMEs.
 */
function inBadgeUrl(text: string, keyStart: number): boolean {
  const sep = text.charAt(keyStart - 1);
  if (sep !== "?" && sep !== "&") return false;
  const q = text.lastIndexOf("?", keyStart - 1);
  return q >= 0 && keyStart - q < 200 && /\.(?:svg|png)$/i.test(text.slice(Math.max(0, q - 8), q));
}

const genericSecret = defineSecretRule({
  id: "PCS-SEC-019",
  title: "Secret assigned in a configuration file or script",
  severity: "medium",
  why: "A password, API key or token written into a configuration file, environment file or script travels with every copy of the image and is readable by anyone who can pull it.",
  remediation: `Change the secret at the service it belongs to. Read it from the environment or a mounted secret at run time (\`password: \${DB_PASSWORD}\`), not from a file baked into the image. ${OUT_OF_THE_IMAGE}`,
  references: [OWASP_SECRETS, DOCKER_BUILD_SECRETS],
  mappings: {},
  fallback: true,
  keywords: ["pass", "pwd", "secret", "token", "api_key", "apikey", "api-key", "api.key", "credential", "auth", "private_key", "privatekey", "private-key", "encryption", "signing", "master"],
  find(text) {
    const out: Candidate[] = [];
    for (const a of findAssignments(text, /pass|pwd|secret|token|api[_.-]?key|credential|auth|private[_.-]?key|(?:encryption|signing|master)[_.-]?key/gi)) {
      if (!isSecretKeyName(a.key) || inBadgeUrl(text, a.keyStart)) continue;
      const scheme = AUTH_SCHEME.exec(a.value)?.[0].length ?? 0;
      const value = a.value.slice(scheme);
      const verdict = genericVerdict(value, a.quoted);
      if (verdict !== "skip") out.push({ ...candidateOf(a, verdict === "mask"), start: a.valueStart + scheme });
    }
    return out;
  },
});

/**
 * Every built-in secret rule, in id order. When matches overlap, a specific
 * rule beats the generic one, then the more severe rule, then the earlier one
 * wins.
 */
export const SECRET_RULES: readonly SecretRule[] = [
  awsAccessKeyId,
  awsSecretAccessKey,
  gcpServiceAccountKey,
  googleApiKey,
  azureStorageKey,
  azureClientSecret,
  githubToken,
  gitlabToken,
  slackToken,
  slackWebhook,
  stripeLiveKey,
  stripeTestKey,
  npmToken,
  npmrcCredential,
  privateKey,
  encryptedPrivateKey,
  jwt,
  connectionStringPassword,
  genericSecret,
];
