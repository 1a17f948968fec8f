/**
 * Every detector of the catalog, held to what it must find and to what it
 * must leave alone, in the shapes real files write secrets. Fake secrets are
 * generated at run time from fixed labels, so the tests are deterministic and
 * this file holds nothing that looks like a leaked secret to other scanners.
 * The last part proves the promise of the module: for every detector, the
 * secret never appears in any field of a match or a finding.
 */
import { strict as assert } from "node:assert";
import { createHash, createHmac, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { RULE_ID } from "../common/index.js";
import { fingerprintOf } from "./redact.js";
import { SECRET_RULES, genericVerdict, isSecretKeyName, wordLike } from "./rules.js";
import { scanText } from "./scan-text.js";
import { toFinding } from "./finding.js";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = "0123456789abcdef";

/** `n` characters of `alphabet` that look random, the same for the same label. */
function fake(label: string, n: number, alphabet = ALNUM): string {
  let out = "";
  for (let i = 0; out.length < n; i++) {
    for (const b of createHash("sha256").update(`${label}/${i}`).digest()) {
      if (out.length < n) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

/** `n` bytes that look random, base64: like real keys are. */
function fakeBase64(label: string, bytes: number): string {
  let buf = Buffer.alloc(0);
  for (let i = 0; buf.length < bytes; i++) buf = Buffer.concat([buf, createHash("sha256").update(`${label}/${i}`).digest()]);
  return buf.subarray(0, bytes).toString("base64");
}

/** The base64 body of a PEM block: what private-key matches fingerprint. */
function pemBody(pem: string): string {
  return pem
    .split("\n")
    .filter((l) => !l.startsWith("-----") && !/^[A-Za-z-]+:/.test(l))
    .join("")
    .replace(/\s/g, "");
}

function jwtOf(header: object, payload: object, key: string): string {
  const h = Buffer.from(JSON.stringify(header)).toString("base64url");
  const p = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${h}.${p}.${createHmac("sha256", key).update(`${h}.${p}`).digest("base64url")}`;
}

const pem = (label: string, body: string): string =>
  [`-----BEGIN ${label}-----`, ...(body.match(/.{1,64}/g) ?? []), `-----END ${label}-----`, ""].join("\n");

// ------------------------------------------------------------------ fakes

const awsId = "AKIA" + fake("aws-id", 16, UPPER + "234567");
const awsTempId = "ASIA" + fake("aws-temp-id", 16, UPPER + "234567");
const awsSecret = fake("aws-secret", 40, ALNUM + "+/");
const sha1 = fake("commit", 40, HEX);
const googleKey = "AIza" + fake("google", 35, ALNUM + "_-");
const azureStorageKey = fakeBase64("azure-storage", 64);
const entraSecret = fake("entra-a", 3, ALNUM) + "8Q~" + fake("entra-b", 34, ALNUM + "_~.-");
const oldAzureSecret = fake("azure-old", 32, ALNUM + ".-_~[]:@*");
const ghp = "ghp_" + fake("ghp", 36);
const gho = "gho_" + fake("gho", 36);
const ghu = "ghu_" + fake("ghu", 36);
const ghs = "ghs_" + fake("ghs", 36);
const ghr = "ghr_" + fake("ghr", 76);
const githubPat = "github_pat_" + fake("pat-a", 22) + "_" + fake("pat-b", 59);
const glpat = "glpat-" + fake("glpat", 20, ALNUM + "_-");
const glrt = "glrt-" + fake("glrt", 27, ALNUM + "_-");
const slackBot = "xoxb-" + fake("sb1", 12, DIGITS) + "-" + fake("sb2", 13, DIGITS) + "-" + fake("sb3", 24);
const slackUser = "xoxp-" + fake("su1", 11, DIGITS) + "-" + fake("su2", 11, DIGITS) + "-" + fake("su3", 13, DIGITS) + "-" + fake("su4", 32, HEX);
const slackHook = "https://hooks.slack.com/services/T" + fake("sh1", 10, UPPER + DIGITS) + "/B" + fake("sh2", 10, UPPER + DIGITS) + "/" + fake("sh3", 24);
const slackWorkflow = "https://hooks.slack.com/workflows/T" + fake("sw1", 10, UPPER + DIGITS) + "/A" + fake("sw2", 10, UPPER + DIGITS) + "/" + fake("sw3", 18, DIGITS) + "/" + fake("sw4", 24);
const stripeLive = "sk_" + "live_" + fake("stripe-live", 24);
const stripeLiveLong = "sk_" + "live_" + fake("stripe-live-long", 99);
const stripeRestricted = "rk_" + "live_" + fake("stripe-rk", 24);
const stripeTest = "sk_" + "test_" + fake("stripe-test", 24);
const npmTok = "npm_" + fake("npm", 36);
const uuid = [fake("u1", 8, HEX), fake("u2", 4, HEX), fake("u3", 4, HEX), fake("u4", 4, HEX), fake("u5", 12, HEX)].join("-");
const basicAuth = Buffer.from(`deploy:${fake("basic", 18)}`).toString("base64");
const dbPassword = fake("db-password", 18);
const genericValue = fake("generic", 24, ALNUM + "!#%*");
const jwtHs = jwtOf({ alg: "HS256", typ: "JWT" }, { sub: "svc-orders", iat: 1_700_000_000, exp: 1_900_000_000 }, fake("jwt-key", 32));
const jwtRs = jwtOf({ alg: "RS256", kid: fake("kid", 16) }, { iss: "kubernetes/serviceaccount", sub: "system:serviceaccount:shop:orders" }, fake("jwt-key2", 32));

const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const ed = generateKeyPairSync("ed25519");
const rsaPkcs1 = rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const rsaPkcs8 = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const ecSec1 = ec.privateKey.export({ type: "sec1", format: "pem" }).toString();
const edPkcs8 = ed.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const dsaLike = rsaPkcs8.replaceAll("PRIVATE KEY", "DSA PRIVATE KEY");
const encPkcs8 = rsa.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "throwaway" }).toString();
const encPkcs1 = rsa.privateKey.export({ type: "pkcs1", format: "pem", cipher: "aes-256-cbc", passphrase: "throwaway" }).toString();
const openssh = pem("OPENSSH PRIVATE KEY", readFileSync(new URL("./testdata/openssh-ed25519.body", import.meta.url), "utf8").replace(/\s/g, ""));
const opensshEncrypted = pem(
  "OPENSSH PRIVATE KEY",
  readFileSync(new URL("./testdata/openssh-ed25519-encrypted.body", import.meta.url), "utf8").replace(/\s/g, ""),
);
const pgpBody = fakeBase64("pgp", 300);
const pgp = ["-----BEGIN PGP PRIVATE KEY BLOCK-----", "Version: GnuPG v2", "", ...(pgpBody.match(/.{1,64}/g) ?? []), "=" + fake("crc", 4), "-----END PGP PRIVATE KEY BLOCK-----", ""].join("\n");

const serviceAccount = {
  type: "service_account",
  project_id: "orders-prod",
  private_key_id: fake("sa-key-id", 40, HEX),
  private_key: rsaPkcs8,
  client_email: "orders@orders-prod.iam.gserviceaccount.com",
  client_id: fake("sa-client", 21, DIGITS),
  auth_uri: "https://accounts.google.com/o/oauth2/auth",
  token_uri: "https://oauth2.googleapis.com/token",
};

// ------------------------------------------------------------------ cases

interface Positive {
  name: string;
  text: string;
  /** What the match fingerprints and what must never be printed. */
  secret: string;
  /** The 1-based line the match starts on; 1 when absent. */
  line?: number;
  endLine?: number;
}

interface RuleCases {
  positives: Positive[];
  negatives: { name: string; text: string }[];
}

const CASES: Record<string, RuleCases> = {
  "PCS-SEC-001": {
    positives: [
      { name: "env file", text: `AWS_ACCESS_KEY_ID=${awsId}\n`, secret: awsId },
      { name: "temporary credentials JSON", text: `{\n  "Credentials": {\n    "AccessKeyId": "${awsTempId}"\n  }\n}`, secret: awsTempId, line: 3 },
      { name: "presigned URL", text: `https://b.s3.amazonaws.com/o?X-Amz-Credential=${awsId}%2F20240101%2Feu-west-1`, secret: awsId },
    ],
    negatives: [
      { name: "15 characters", text: `AWS_ACCESS_KEY_ID=${awsId.slice(0, 19)}` },
      { name: "part of a longer run", text: `id=${awsId}Q` },
      { name: "lower case", text: `id=${awsId.toLowerCase()}` },
      { name: "an IAM user's unique id (AIDA), not a key", text: `UserId: AIDA${awsId.slice(4)}` },
      { name: "inside a base64 blob", text: `data=MIIBCgKCAQEAs/${awsId}/xyz` },
      { name: "AWS's documented example", text: "aws_access_key_id = AKIAIOSFODNN7EXAMPLE" },
    ],
  },
  "PCS-SEC-002": {
    positives: [
      {
        name: "credentials file",
        text: `[default]\naws_access_key_id = ${awsId}\naws_secret_access_key = ${awsSecret}\nregion = eu-west-1\n`,
        secret: awsSecret,
        line: 3,
      },
      { name: "create-access-key output", text: JSON.stringify({ AccessKey: { UserName: "ci", AccessKeyId: awsId, Status: "Active", SecretAccessKey: awsSecret } }, null, 2), secret: awsSecret, line: 6 },
      { name: "console CSV, named nothing, next to the id", text: `User name,Access key ID,Secret access key\nci,${awsId},${awsSecret}\n`, secret: awsSecret, line: 2 },
      { name: "exported in a script", text: `export AWS_SECRET_ACCESS_KEY="${awsSecret}"`, secret: awsSecret },
    ],
    negatives: [
      { name: "a hex digest under the name", text: `aws_secret_access_key = ${sha1}` },
      { name: "a variable reference", text: "aws_secret_access_key=${AWS_SECRET_ACCESS_KEY}" },
      { name: "a name that is not AWS's, no key id near", text: `secret_key = ${awsSecret}` },
      { name: "too far from the key id", text: `${awsId}\n${"#".repeat(700)}\nvalue ${awsSecret}\n` },
      { name: "a commit id next to a key id", text: `${awsId} ${sha1}` },
      { name: "AWS's documented example pair", text: "AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    ],
  },
  "PCS-SEC-003": {
    positives: [
      { name: "key file as downloaded", text: JSON.stringify(serviceAccount, null, 2), secret: pemBody(rsaPkcs8), line: 5 },
      { name: "compact JSON, private_key before type", text: JSON.stringify(Object.fromEntries([["private_key", rsaPkcs8], ...Object.entries(serviceAccount).filter(([k]) => k !== "private_key")])), secret: pemBody(rsaPkcs8) },
    ],
    negatives: [
      { name: "no private key", text: JSON.stringify({ type: "service_account", client_email: serviceAccount.client_email }, null, 2) },
      { name: "a redacted private key", text: JSON.stringify({ ...serviceAccount, private_key: "-----BEGIN PRIVATE KEY-----\nREDACTED\n-----END PRIVATE KEY-----\n" }) },
      { name: "not a service account", text: JSON.stringify({ type: "authorized_user", client_id: "x.apps.googleusercontent.com" }) },
    ],
  },
  "PCS-SEC-004": {
    positives: [
      { name: "properties", text: `google.maps.api-key=${googleKey}`, secret: googleKey },
      { name: "script tag", text: `<script src="https://maps.googleapis.com/maps/api/js?key=${googleKey}&callback=init"></script>`, secret: googleKey },
    ],
    negatives: [
      { name: "34 characters", text: `key=${googleKey.slice(0, 38)}` },
      { name: "part of a longer run", text: `key=${googleKey}Q` },
    ],
  },
  "PCS-SEC-005": {
    positives: [
      {
        name: "connection string",
        text: `DefaultEndpointsProtocol=https;AccountName=ordersstore;AccountKey=${azureStorageKey};EndpointSuffix=core.windows.net`,
        secret: azureStorageKey,
      },
      { name: "env file", text: `AZURE_STORAGE_KEY=${azureStorageKey}\n`, secret: azureStorageKey },
      { name: "JSON", text: `{"accountName": "ordersstore", "accountKey": "${azureStorageKey}"}`, secret: azureStorageKey },
    ],
    negatives: [
      { name: "a variable reference", text: "AccountName=x;AccountKey=${STORAGE_KEY};" },
      { name: "not 64 bytes of base64", text: `AccountKey=${fake("az-short", 88)};` },
      { name: "the storage emulator's published key", text: "AccountName=devstoreaccount1;AccountKey=" + "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq" + "/K1SZFPTOtr/KBHBeksoGMGw==;" },
    ],
  },
  "PCS-SEC-006": {
    positives: [
      { name: "env file, current format", text: `AZURE_CLIENT_ID=${uuid}\nAZURE_CLIENT_SECRET=${entraSecret}\n`, secret: entraSecret, line: 2 },
      { name: "env file, older format", text: `AZURE_CLIENT_SECRET='${oldAzureSecret}'`, secret: oldAzureSecret },
      { name: "JSON, recognised by the Q~ shape", text: `{"clientId": "${uuid}", "clientSecret": "${entraSecret}"}`, secret: entraSecret },
    ],
    negatives: [
      { name: "a variable reference", text: "AZURE_CLIENT_SECRET=${AZURE_CLIENT_SECRET}" },
      { name: "too short", text: "AZURE_CLIENT_SECRET=abc123DEF" },
      { name: "a client secret of something else", text: `client_secret: ${fake("oauth-secret", 32)}` },
      { name: "the client id", text: `AZURE_CLIENT_ID=${uuid}` },
    ],
  },
  "PCS-SEC-007": {
    positives: [
      { name: "personal access token", text: `GITHUB_TOKEN=${ghp}`, secret: ghp },
      { name: "OAuth token", text: `oauth_token: ${gho}`, secret: gho },
      { name: "user-to-server token", text: `"token": "${ghu}"`, secret: ghu },
      { name: "installation token in a clone URL", text: `git clone https://x-access-token:${ghs}@github.com/acme/orders.git`, secret: ghs },
      { name: "refresh token", text: `refresh=${ghr}`, secret: ghr },
      { name: "fine-grained token", text: `GH_TOKEN=${githubPat}`, secret: githubPat },
    ],
    negatives: [
      { name: "35 characters", text: `GITHUB_TOKEN=${ghp.slice(0, 39)}` },
      { name: "a masked token", text: `GITHUB_TOKEN=ghp_${"x".repeat(36)}` },
      { name: "the token pattern in source", text: "const re = /ghp_[A-Za-z0-9]{36}/;" },
      { name: "glued to a word", text: `prefix${ghp}` },
    ],
  },
  "PCS-SEC-008": {
    positives: [
      { name: "personal access token", text: `GITLAB_TOKEN=${glpat}`, secret: glpat },
      { name: "runner config.toml", text: `[[runners]]\n  name = "ci"\n  url = "https://gitlab.acme.internal"\n  token = "${glrt}"\n`, secret: glrt, line: 4 },
    ],
    negatives: [
      { name: "19 characters", text: `GITLAB_TOKEN=${glpat.slice(0, 25)}` },
      { name: "a masked token", text: `GITLAB_TOKEN=glpat-${"x".repeat(20)}` },
    ],
  },
  "PCS-SEC-009": {
    positives: [
      { name: "bot token", text: `SLACK_BOT_TOKEN=${slackBot}`, secret: slackBot },
      { name: "user token", text: `slack:\n  token: "${slackUser}"\n`, secret: slackUser, line: 2 },
    ],
    negatives: [
      { name: "a placeholder", text: "SLACK_BOT_TOKEN=xoxb-your-token-here" },
      { name: "no digits", text: `SLACK_BOT_TOKEN=xoxb-${fake("slack-letters", 30, LOWER)}` },
      { name: "a masked token", text: `SLACK_BOT_TOKEN=xoxb-${fake("sb1", 12, DIGITS)}-${"x".repeat(24)}` },
    ],
  },
  "PCS-SEC-010": {
    positives: [
      { name: "incoming webhook", text: `SLACK_WEBHOOK_URL=${slackHook}`, secret: slackHook },
      { name: "workflow webhook in JSON", text: `{"notify": "${slackWorkflow}"}`, secret: slackWorkflow },
    ],
    negatives: [
      { name: "Slack's documented example", text: "url: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX" },
      { name: "the base URL", text: "see https://hooks.slack.com/services/ for details" },
    ],
  },
  "PCS-SEC-011": {
    positives: [
      { name: "secret key", text: `STRIPE_SECRET_KEY=${stripeLive}`, secret: stripeLive },
      { name: "long secret key", text: `stripe.api_key = "${stripeLiveLong}"`, secret: stripeLiveLong },
      { name: "restricted key", text: `STRIPE_KEY=${stripeRestricted}`, secret: stripeRestricted },
    ],
    negatives: [
      { name: "a publishable key", text: `STRIPE_PUBLISHABLE_KEY=pk_live_${fake("pk", 24)}` },
      { name: "too short", text: `STRIPE_SECRET_KEY=sk_live_${fake("short", 10)}` },
      { name: "a test key", text: `STRIPE_SECRET_KEY=${stripeTest}` },
    ],
  },
  "PCS-SEC-012": {
    positives: [{ name: "test key", text: `STRIPE_SECRET_KEY=${stripeTest}`, secret: stripeTest }],
    negatives: [
      { name: "Stripe's documented test key", text: "Stripe.api_key = 'sk_" + "test_4eC39HqLyjWDarjtT1zdp7dc'" },
      { name: "a live key", text: `STRIPE_SECRET_KEY=${stripeLive}` },
    ],
  },
  "PCS-SEC-013": {
    positives: [
      { name: "env file", text: `NPM_TOKEN=${npmTok}`, secret: npmTok },
      { name: "npmrc", text: `//registry.npmjs.org/:_authToken=${npmTok}\n`, secret: npmTok },
    ],
    negatives: [
      { name: "npm's own variables", text: "npm_config_cache=/home/node/.npm\nnpm_package_version=1.4.2" },
      { name: "35 characters", text: `NPM_TOKEN=${npmTok.slice(0, 39)}` },
    ],
  },
  "PCS-SEC-014": {
    positives: [
      { name: "scoped token (an old UUID token)", text: `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${uuid}\n`, secret: uuid, line: 2 },
      { name: "basic auth", text: `_auth=${basicAuth}\nalways-auth=true\n`, secret: basicAuth },
      { name: "yarnrc.yml", text: `npmRegistries:\n  "https://npm.acme.internal":\n    npmAuthToken: "${uuid}"\n`, secret: uuid, line: 3 },
    ],
    negatives: [
      { name: "a variable reference", text: "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" },
      { name: "empty", text: "//registry.npmjs.org/:_authToken=" },
      { name: "settings that are not credentials", text: "always-auth=true\nemail=ci@acme.example" },
      { name: "a code identifier", text: `const cfg_auth = "${uuid}";` },
    ],
  },
  "PCS-SEC-015": {
    positives: [
      { name: "RSA PKCS#1", text: rsaPkcs1, secret: pemBody(rsaPkcs1), endLine: rsaPkcs1.trimEnd().split("\n").length },
      { name: "PKCS#8", text: `# deploy key\n${rsaPkcs8}`, secret: pemBody(rsaPkcs8), line: 2, endLine: rsaPkcs8.trimEnd().split("\n").length + 1 },
      { name: "EC SEC1", text: ecSec1, secret: pemBody(ecSec1) },
      { name: "Ed25519 PKCS#8", text: edPkcs8, secret: pemBody(edPkcs8) },
      { name: "DSA", text: dsaLike, secret: pemBody(dsaLike) },
      { name: "OpenSSH (from ssh-keygen)", text: openssh, secret: pemBody(openssh) },
      { name: "PGP", text: pgp, secret: pgpBody + "=" + fake("crc", 4) },
      { name: "escaped in JSON", text: JSON.stringify({ tls: { key: ecSec1 } }), secret: pemBody(ecSec1) },
      { name: "in a YAML block scalar", text: `tls:\n  key: |\n${ecSec1.trimEnd().split("\n").map((l) => `    ${l}`).join("\n")}\n`, secret: pemBody(ecSec1), line: 3 },
      { name: "CRLF line ends", text: rsaPkcs1.replaceAll("\n", "\r\n"), secret: pemBody(rsaPkcs1) },
    ],
    negatives: [
      { name: "a BEGIN line alone", text: "-----BEGIN RSA PRIVATE KEY-----\n" },
      { name: "parser constants", text: 'const BEGIN = "-----BEGIN RSA PRIVATE KEY-----";\nconst END = "-----END RSA PRIVATE KEY-----";' },
      {
        name: "glued from string literals",
        text: `const key = "-----BEGIN PRIVATE KEY-----\\n" +\n  "${pemBody(edPkcs8)}\\n" +\n  "-----END PRIVATE KEY-----";`,
      },
      { name: "a public key", text: rsa.publicKey.export({ type: "spki", format: "pem" }).toString() },
      { name: "a redacted body", text: "-----BEGIN PRIVATE KEY-----\n<redacted>\n-----END PRIVATE KEY-----\n" },
      { name: "END of another kind", text: rsaPkcs1.replace("END RSA PRIVATE", "END EC PRIVATE") },
      { name: "an encrypted key", text: encPkcs8 },
    ],
  },
  "PCS-SEC-016": {
    positives: [
      { name: "ENCRYPTED PRIVATE KEY (PKCS#8)", text: encPkcs8, secret: pemBody(encPkcs8) },
      { name: "Proc-Type: 4,ENCRYPTED (PKCS#1)", text: encPkcs1, secret: pemBody(encPkcs1) },
      { name: "OpenSSH with a passphrase (from ssh-keygen)", text: opensshEncrypted, secret: pemBody(opensshEncrypted) },
    ],
    negatives: [
      { name: "an unencrypted key", text: rsaPkcs1 },
      { name: "an unencrypted OpenSSH key", text: openssh },
    ],
  },
  "PCS-SEC-017": {
    positives: [
      { name: "bearer header", text: `Authorization: Bearer ${jwtHs}`, secret: jwtHs },
      { name: "service account token file", text: jwtRs, secret: jwtRs },
    ],
    negatives: [
      { name: "the jwt.io sample", text: jwtOf({ alg: "HS256", typ: "JWT" }, { sub: "1234567890", name: "John Doe", iat: 1516239022 }, "your-256-bit-secret") },
      { name: "a header without alg", text: jwtOf({ typ: "JWT" }, { sub: "x" }, "k") },
      { name: "a header that is not JSON", text: `eyJ${fake("not-json", 20)}.eyJ${fake("p", 20)}.${fake("s", 43)}` },
      { name: "an unsigned token", text: `${jwtHs.split(".").slice(0, 2).join(".")}.` },
      { name: "an encrypted token (JWE)", text: `${Buffer.from('{"alg":"RSA-OAEP","enc":"A256GCM"}').toString("base64url")}.${fake("cek", 40)}.${fake("iv", 16)}.${fake("ct", 40)}.${fake("tag", 22)}` },
    ],
  },
  "PCS-SEC-018": {
    positives: [
      { name: "PostgreSQL", text: `DATABASE_URL=postgres://orders:${dbPassword}@db.internal:5432/orders`, secret: dbPassword },
      { name: "SQLAlchemy driver suffix", text: `url = "postgresql+psycopg2://orders:${dbPassword}@db/orders"`, secret: dbPassword },
      { name: "MySQL", text: `mysql://root:${dbPassword}@127.0.0.1:3306/app`, secret: dbPassword },
      { name: "MariaDB", text: `mariadb://app:${dbPassword}@mariadb/app`, secret: dbPassword },
      { name: "MongoDB SRV", text: `MONGO_URL=mongodb+srv://reporting:${dbPassword}@cluster0.acme.mongodb.net/reports`, secret: dbPassword },
      { name: "Redis without a user", text: `REDIS_URL=redis://:${dbPassword}@cache:6379/0`, secret: dbPassword },
      { name: "Redis over TLS", text: `rediss://default:${dbPassword}@cache:6380`, secret: dbPassword },
      { name: "AMQP over TLS", text: `amqps://orders:${dbPassword}@mq.acme.internal/vhost`, secret: dbPassword },
      { name: "percent-encoded", text: `postgres://orders:${dbPassword}%21%40x@db/orders`, secret: `${dbPassword}%21%40x` },
    ],
    negatives: [
      { name: "no password", text: "postgres://orders:@db/orders\npostgres://db:5432/orders\nredis://cache:6379" },
      { name: "a variable reference", text: "postgres://orders:${DB_PASSWORD}@db/orders" },
      { name: "a placeholder", text: "mysql://user:<password>@host/db" },
      { name: "password same as user", text: "postgres://postgres:postgres@db:5432/postgres" },
      { name: "default guest account", text: "amqp://guest:guest@rabbitmq:5672/" },
      { name: "documentation example", text: "mongodb://root:example@mongo:27017/" },
      { name: "a stand-in word", text: "redis://:changeme@cache:6379" },
    ],
  },
  "PCS-SEC-019": {
    positives: [
      { name: "env file", text: `DB_PASSWORD=${genericValue}`, secret: genericValue },
      { name: "YAML", text: `database:\n  password: ${genericValue}\n`, secret: genericValue, line: 2 },
      { name: "JSON", text: `{"apiKey": "${genericValue}"}`, secret: genericValue },
      { name: "properties with spaces", text: `db.password = ${genericValue}`, secret: genericValue },
      { name: "shell export", text: `export API_TOKEN='${genericValue}'`, secret: genericValue },
      { name: "command-line flag", text: `mysql --user=app --password=${dbPassword} -h db`, secret: dbPassword },
      { name: "XML element", text: `<server>\n  <password>${genericValue}</password>\n</server>`, secret: genericValue, line: 2 },
      { name: "XML attribute", text: `<datasource user="app" password="${genericValue}"/>`, secret: genericValue },
      { name: "OAuth client secret", text: `client_secret: ${dbPassword}`, secret: dbPassword },
      { name: "Docker config auth", text: `{"auths": {"registry.acme.internal": {"auth": "${basicAuth}"}}}`, secret: basicAuth },
      { name: "Go", text: `secret := "${genericValue}"`, secret: genericValue },
      { name: "Ruby hash rocket", text: `:password => "${genericValue}"`, secret: genericValue },
      { name: "camelCase short noun", text: `dbPwd: ${dbPassword}`, secret: dbPassword },
      { name: "after an auth scheme", text: `headers:\n  token: "Bearer ${genericValue}"\n`, secret: genericValue, line: 2 },
      { name: "a Kubernetes Secret's base64 data", text: `data:\n  password: ${Buffer.from(genericValue).toString("base64")}\n`, secret: Buffer.from(genericValue).toString("base64"), line: 2 },
    ],
    negatives: [
      { name: "a variable reference", text: "password=${DB_PASSWORD}" },
      { name: "an empty string", text: 'password: ""' },
      { name: "a stand-in", text: "password=changeme\nJWT_SECRET=secret\napi_key: your-api-key-here" },
      { name: "a short password (masked, not reported)", text: "password: hunter2" },
      { name: "a file path", text: "password_file=/run/secrets/db\nsecret: /run/secrets/api-key" },
      { name: "settings about secrets", text: `passwordPolicy: ${genericValue}\ntoken_url: https://auth.acme.internal/token\nsecretName: orders-db` },
      { name: "a key that only contains a noun", text: `bypass=${genericValue}\noauth=${genericValue}` },
      { name: "the name of a variable", text: "secret: DB_PASSWORD" },
      { name: "code reading the environment", text: "api_key = os.environ['API_KEY']\npassword=process.env.DB_PASSWORD\ntoken = get_token()" },
      { name: "a comparison", text: `if password == "${genericValue}":` },
      { name: "an Ansible vault value", text: "password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256" },
      { name: "one character class", text: "token: abcdefghijklmnop\nsecret=12345678901234" },
      { name: "a repeated character", text: "PASSWORD=aaaaaaaaaaaa" },
      { name: "JSON null", text: '{"password": null}' },
      { name: "a Kubernetes Secret's base64 of a stand-in", text: `data:\n  password: ${Buffer.from("changeme").toString("base64")}\n` },
      { name: "a schema's descriptions", text: '{"password": "A secret word used to authenticate", "token": "An opaque value"}' },
      { name: "code", text: "const token = tokens[i];\nconst hasExclamationToken = !!node.exclamationToken;\ntype ArrowToken = ArrowToken$1;" },
      { name: "commented defaults of a JDK", text: "# com.sun.management.jmxremote.ssl.need.client.auth=true|false\n#jdk.security.krb5.default.initiate.credential=always-impersonate" },
      { name: "an OpenSSL config variable", text: "private_key = $dir/private/cakey.pem # The private key" },
      { name: "a README badge's graph token", text: `[![codecov](https://codecov.io/gh/acme/orders/graph/badge.svg?token=${fake("badge", 10)})](https://codecov.io/gh/acme/orders)` },
    ],
  },
};

// ------------------------------------------------------------------ tests

describe("the secret rule catalog", () => {
  it("has stable, unique, ordered PCS-SEC ids and complete metadata", () => {
    SECRET_RULES.forEach((rule, i) => {
      assert.match(rule.id, RULE_ID);
      assert.equal(rule.id, `PCS-SEC-${String(i + 1).padStart(3, "0")}`);
      assert.ok(rule.title && rule.why && rule.remediation, rule.id);
      assert.ok(rule.references.length > 0 && rule.references.every((r) => r.startsWith("https://")), rule.id);
      assert.ok(rule.keywords.length > 0, rule.id);
    });
  });

  it("has positive and negative cases for every rule", () => {
    for (const rule of SECRET_RULES) {
      const c = CASES[rule.id];
      assert.ok(c && c.positives.length > 0 && c.negatives.length > 0, `${rule.id} needs cases`);
    }
  });
});

for (const rule of SECRET_RULES) {
  const cases = CASES[rule.id];
  if (!cases) continue;
  describe(`${rule.id} ${rule.title}`, () => {
    for (const p of cases.positives) {
      it(`finds: ${p.name}`, () => {
        const hits = scanText(p.text).filter((m) => m.rule.id === rule.id);
        assert.equal(hits.length, 1, `expected one ${rule.id} match, got ${JSON.stringify(scanText(p.text).map((m) => m.rule.id))}`);
        const m = hits[0]!;
        assert.equal(m.fingerprint, fingerprintOf(p.secret), "the fingerprint is the detected secret's");
        assert.equal(m.line, p.line ?? 1);
        if (p.endLine !== undefined) assert.equal(m.endLine, p.endLine);
        assert.equal(m.rule.severity, rule.severity);
      });
    }
    for (const n of cases.negatives) {
      it(`leaves alone: ${n.name}`, () => {
        const hits = scanText(n.text).filter((m) => m.rule.id === rule.id);
        assert.deepEqual(hits, []);
      });
    }
  });
}

describe("the generic rule's decisions", () => {
  it("takes keys that end with a secret noun", () => {
    for (const key of ["password", "DB_PASSWORD", "spring.datasource.password", "dbPassword", "passwd", "PASSPHRASE", "secret", "SESSION_SECRET", "secret_key", "SECRET_KEY_BASE", "apiKey", "api-key", "API_SECRET", "token", "GITHUB_TOKEN", "accessToken", "credentials", "private_key", "ENCRYPTION_KEY", "jwt.signing-key", "master_key", "DB_PASS", "dbPass", "pwd", "DB_PWD", "auth", "_auth", "basic_auth", "--password"]) {
      assert.equal(isSecretKeyName(key), true, key);
    }
  });

  it("leaves keys that only mention a secret, or hide a short noun inside a word", () => {
    for (const key of ["password_file", "PASSWORD_MIN_LENGTH", "passwordPolicy", "token_url", "TOKEN_TTL", "secretName", "secret_ref", "api_key_id", "bypass", "compass", "oauth", "author", "authority", "Authorization", "tokenizer", "user", "key"]) {
      assert.equal(isSecretKeyName(key), false, key);
    }
  });

  it("tells words and identifiers from random letters", () => {
    for (const w of ["Optional", "Whitespace", "_RSAPrivateKey", "isJSXToken", "#mesondefine", "HTTPDigestAuth"]) assert.equal(wordLike(w), true, w);
    for (const r of ["xKqPzRtYbNmWcVdLfGhJ", "QwErTyUiOpAsDfGh", "Zq8xPm4rT2kL", "Xk#pQ!wLz&Rb", "aVeryLongIdentifierNameOverThirtyTwo"]) assert.equal(wordLike(r), false, r);
  });

  const verdicts: [string, "report" | "mask" | "skip", boolean?][] = [
    ["Zq8xPm4rT2kLw9Bn", "report"],
    ["Tr0ub4dor&3x", "report"],
    ["correct-horse-battery-staple", "report"],
    ["0123456789abcdef0123456789abcdef", "report"],
    ["UzNjcjN0LVBhc3M5IQ==", "report"],
    ["hunter2", "mask"],
    ["abcdefghijklmnop", "skip"],
    ["xKqPzRtYbNmWcVdLfGhJ", "report"],
    ["12345678901234", "mask"],
    ["Summer2024", "mask"],
    ["Password1", "skip"],
    ["${DB_PASSWORD}", "skip"],
    ["changeme", "skip"],
    ["https://auth.acme.internal/token", "skip"],
    ["/run/secrets/db_password", "skip"],
    ["./secrets/api.key", "skip"],
    ["DB_PASSWORD", "skip"],
    ["req.body.password", "skip"],
    ["config.apiKey", "skip"],
    ["currentUserPassword", "skip"],
    ["db_password_value", "skip"],
    ["Y2hhbmdlbWU=", "skip"],
    ["A secret word used to derive the key", "skip"],
    ["true|false", "skip"],
    ["always-impersonate", "skip"],
    ["$dir/private/cakey.pem", "skip"],
    ["tokens[index", "skip", false],
    ["!!node.exclamationToken", "skip", false],
    ["ArrowToken$1", "skip", false],
    ["Zq8x$HOME", "skip", false],
    ["Zq8x$HOME", "report", true],
    ["Optional", "skip"],
    ["_RSAPrivateKey", "skip"],
    ["#mesondefine", "skip"],
    ["Xk#pQ!wLz&Rb", "report"],
    ["_ALLOWED_PKCS7_HASH_TYPES", "skip"],
    ["ed25519.Ed25519PrivateKey", "skip", false],
    ["Xk9.fj3kLm2", "report", true],
    ["{username}:{password}@", "skip"],
  ];
  for (const [value, verdict, quoted] of verdicts) {
    it(`${verdict}s ${quoted === false ? "unquoted " : ""}"${value}"`, () => assert.equal(genericVerdict(value, quoted), verdict));
  }
});

/** Every string in a value, however deep. */
function stringsIn(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.flatMap(stringsIn);
  if (v !== null && typeof v === "object") return Object.values(v).flatMap(stringsIn);
  return [];
}

describe("no secret is ever printed in full", () => {
  for (const rule of SECRET_RULES) {
    for (const p of CASES[rule.id]?.positives ?? []) {
      it(`${rule.id}: ${p.name}`, () => {
        const matches = scanText(p.text, { path: "/srv/orders/config" });
        assert.ok(matches.length > 0);
        const findings = matches.map((m) => toFinding(m, { layer: "sha256:" + "ab".repeat(32) }));
        const json = JSON.stringify({ matches, findings });
        const fields = stringsIn({ matches, findings });
        // The secret, and any 16 characters of it past the marker the redacted form shows (`ghp_`, a
        // webhook's https://hooks.slack.com/services/), appear nowhere: not raw, not JSON-escaped, not in any field.
        const m = matches.find((x) => x.fingerprint === fingerprintOf(p.secret));
        assert.ok(m);
        const lead = m.redacted.slice(0, m.redacted.indexOf("****"));
        const rest = p.secret.startsWith(lead) ? p.secret.slice(lead.length) : p.secret;
        const probes = [p.secret, ...(rest.length <= 16 ? [rest] : Array.from({ length: rest.length - 15 }, (_, i) => rest.slice(i, i + 16)))];
        for (const probe of probes) {
          assert.ok(!json.includes(probe) && !json.includes(JSON.stringify(probe).slice(1, -1)), `"${probe.slice(0, 4)}…" leaked`);
          assert.ok(fields.every((f) => !f.includes(probe)), `"${probe.slice(0, 4)}…" leaked in a field`);
        }
        // …and the redacted form says what it stands for.
        for (const m of matches) assert.match(m.redacted, /\*\*\*\*… \(sha256:[0-9a-f]{16}\)$/);
      });
    }
  }
});
