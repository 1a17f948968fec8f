/**
 * `scanText` over whole files as images carry them — an env file, an .npmrc,
 * a compose file, Spring properties, an entrypoint script, Maven settings, a
 * service account key — and the rules of the scan itself: overlaps, allow
 * rules, lines and columns, context lines, findings, and inputs built to make
 * regexes backtrack. The fixtures in testdata/ hold `{{NAME}}` where the test
 * puts a fake secret generated at run time.
 */
import { strict as assert } from "node:assert";
import { createHash, createHmac, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { defineAllowRule, SUGGESTED_PATH_ALLOW } from "./allow.js";
import { toFinding } from "./finding.js";
import { fingerprintOf } from "./redact.js";
import { tokenRule } from "./rule.js";
import { SECRET_RULES } from "./rules.js";
import { scanText, type SecretMatch } from "./scan-text.js";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
const ALNUM = UPPER + "abcdefghijklmnopqrstuvwxyz" + DIGITS;

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

const FAKES: Record<string, string> = {
  DB_PASSWORD: fake("db", 20),
  AWS_KEY_ID: "AKIA" + fake("aws-id", 16, UPPER + "234567"),
  AWS_SECRET: fake("aws-secret", 40, ALNUM + "+/"),
  GITHUB_TOKEN: "ghp_" + fake("ghp", 36),
  STRIPE_LIVE: "sk_" + "live_" + fake("stripe", 24),
  SLACK_WEBHOOK: "https://hooks.slack.com/services/T" + fake("t", 10, UPPER + DIGITS) + "/B" + fake("b", 10, UPPER + DIGITS) + "/" + fake("w", 24),
  SESSION_SECRET: fake("session", 48, ALNUM + "-_"),
  NPM_TOKEN: "npm_" + fake("npm", 36),
  BASIC_AUTH: Buffer.from(`deploy:${fake("basic", 16)}`).toString("base64"),
  MONGO_PASSWORD: fake("mongo", 16),
  SLACK_BOT: "xoxb-" + fake("s1", 12, DIGITS) + "-" + fake("s2", 13, DIGITS) + "-" + fake("s3", 24),
  GITLAB_TOKEN: "glpat-" + fake("glpat", 20),
  AZURE_CLIENT_SECRET: fake("e1", 3) + "8Q~" + fake("e2", 34, ALNUM + "_~.-"),
  AZURE_STORAGE_KEY: createHash("sha512").update("azure").digest("base64"),
  GOOGLE_API_KEY: "AIza" + fake("google", 35, ALNUM + "_-"),
  REGISTRY_TOKEN: fake("registry", 32),
  MYSQL_PASSWORD: fake("mysql", 14),
  MAVEN_PASSWORD: fake("maven", 20, ALNUM + "!%*"),
};
{
  const h = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
  const p = Buffer.from(JSON.stringify({ sub: "svc-orders", aud: "config" })).toString("base64url");
  FAKES["SERVICE_JWT"] = `${h}.${p}.${createHmac("sha256", fake("k", 32)).update(`${h}.${p}`).digest("base64url")}`;
}

const fixture = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");
const fill = (text: string): string =>
  text.replace(/\{\{([A-Z_]+)\}\}/g, (all, name: string) => (name === "NAME" ? all : (FAKES[name] ?? assert.fail(`no fake for ${name}`))));

const summary = (ms: readonly SecretMatch[]): [string, number][] => ms.map((m) => [m.rule.id, m.line]);

function assertNothingLeaks(ms: readonly SecretMatch[], secrets: readonly string[]): void {
  const json = JSON.stringify({ ms, findings: ms.map((m) => toFinding(m)) });
  for (const s of secrets) assert.ok(!json.includes(s), `a secret starting "${s.slice(0, 4)}" leaked`);
}

describe("scanning whole files", () => {
  /** Per fixture: rule id, line and the fake of each match, in order. */
  const files: [string, [string, number, string][]][] = [
    [
      "app.env",
      [
        ["PCS-SEC-018", 5, "DB_PASSWORD"],
        ["PCS-SEC-001", 8, "AWS_KEY_ID"],
        ["PCS-SEC-002", 9, "AWS_SECRET"],
        ["PCS-SEC-007", 10, "GITHUB_TOKEN"],
        ["PCS-SEC-011", 11, "STRIPE_LIVE"],
        ["PCS-SEC-010", 12, "SLACK_WEBHOOK"],
        ["PCS-SEC-019", 13, "SESSION_SECRET"],
      ],
    ],
    [
      "project.npmrc",
      [
        ["PCS-SEC-007", 3, "GITHUB_TOKEN"],
        ["PCS-SEC-013", 4, "NPM_TOKEN"],
        ["PCS-SEC-014", 5, "BASIC_AUTH"],
      ],
    ],
    [
      "docker-compose.yml",
      [
        ["PCS-SEC-019", 6, "DB_PASSWORD"],
        ["PCS-SEC-018", 10, "DB_PASSWORD"],
        ["PCS-SEC-018", 11, "MONGO_PASSWORD"],
        ["PCS-SEC-009", 14, "SLACK_BOT"],
        ["PCS-SEC-008", 15, "GITLAB_TOKEN"],
      ],
    ],
    [
      "application.properties",
      [
        ["PCS-SEC-019", 4, "DB_PASSWORD"],
        ["PCS-SEC-006", 5, "AZURE_CLIENT_SECRET"],
        ["PCS-SEC-005", 6, "AZURE_STORAGE_KEY"],
        ["PCS-SEC-004", 7, "GOOGLE_API_KEY"],
      ],
    ],
    [
      "entrypoint.sh",
      [
        ["PCS-SEC-019", 6, "REGISTRY_TOKEN"],
        ["PCS-SEC-017", 7, "SERVICE_JWT"],
        ["PCS-SEC-019", 8, "MYSQL_PASSWORD"],
      ],
    ],
    ["settings.xml", [["PCS-SEC-019", 6, "MAVEN_PASSWORD"]]],
  ];
  for (const [name, expected] of files) {
    it(`${name}: finds each secret once, on its line, and nothing else`, () => {
      const ms = scanText(fill(fixture(name)), { path: `/srv/orders/${name}` });
      assert.deepEqual(
        ms.map((m) => [m.rule.id, m.line, m.fingerprint]),
        expected.map(([id, line, fakeName]) => [id, line, fingerprintOf(FAKES[fakeName] as string)]),
      );
      assertNothingLeaks(ms, expected.map(([, , fakeName]) => FAKES[fakeName] as string));
    });
    it(`${name}: with only placeholders, finds nothing`, () => {
      assert.deepEqual(scanText(fixture(name)), []);
    });
  }

  it("a service account key generated with node:crypto", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const file = JSON.stringify(
      {
        type: "service_account",
        project_id: "orders-prod",
        private_key_id: fake("kid", 40, "0123456789abcdef"),
        private_key: pem,
        client_email: "orders@orders-prod.iam.gserviceaccount.com",
        client_id: fake("cid", 21, DIGITS),
        token_uri: "https://oauth2.googleapis.com/token",
      },
      null,
      2,
    );
    const ms = scanText(file, { path: "/app/gcp-key.json" });
    assert.deepEqual(summary(ms), [["PCS-SEC-003", 5]]);
    const m = ms[0]!;
    assert.equal(m.redacted, `-----BEGIN PRIVATE KEY-----****… (${m.fingerprint})`);
    assert.equal(m.context, `  "private_key": "${m.redacted}",`);
    const body = pem.split("\n").filter((l) => l && !l.startsWith("-----"));
    assertNothingLeaks(ms, body);
  });
});

describe("settling overlaps", () => {
  it("a specific rule beats the generic one, even when less severe", () => {
    const key = "sk_" + "test_" + fake("st", 24);
    assert.deepEqual(summary(scanText(`STRIPE_SECRET_KEY=${key}`)), [["PCS-SEC-012", 1]]);
  });
  it("the more severe specific rule wins: an npm token in an .npmrc", () => {
    assert.deepEqual(summary(scanText(`//registry.npmjs.org/:_authToken=${FAKES["NPM_TOKEN"]}`)), [["PCS-SEC-013", 1]]);
  });
  it("a service account's key is not also reported as a bare private key", () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const ids = scanText(JSON.stringify({ type: "service_account", private_key: pem })).map((m) => m.rule.id);
    assert.deepEqual(ids, ["PCS-SEC-003"]);
  });
  it("secrets side by side on one line are all reported", () => {
    const line = `${FAKES["AWS_KEY_ID"]}:${FAKES["AWS_SECRET"]} ${FAKES["GITHUB_TOKEN"]}`;
    assert.deepEqual(
      scanText(line).map((m) => [m.rule.id, m.column]),
      [
        ["PCS-SEC-001", 1],
        ["PCS-SEC-002", 22],
        ["PCS-SEC-007", 63],
      ],
    );
  });
});

describe("context lines", () => {
  it("redact every secret seen on the line, reported or not", () => {
    const line = `DB_PASSWORD=hunter2 API_TOKEN=${FAKES["REGISTRY_TOKEN"]} GITHUB_TOKEN=${FAKES["GITHUB_TOKEN"]}`;
    const ms = scanText(line);
    assert.deepEqual(
      ms.map((m) => m.rule.id),
      ["PCS-SEC-019", "PCS-SEC-007"],
    );
    for (const m of ms) {
      assert.ok(m.context.startsWith("DB_PASSWORD=**** API_TOKEN="), m.context);
      assert.ok(!m.context.includes("hunter2"));
      assert.ok(!m.context.includes(FAKES["REGISTRY_TOKEN"] as string) && !m.context.includes(FAKES["GITHUB_TOKEN"] as string));
    }
    assert.equal(ms[1]!.context, `DB_PASSWORD=**** API_TOKEN=${ms[0]!.redacted} GITHUB_TOKEN=${ms[1]!.redacted}`);
  });

  it("are cut around the secret on a long line", () => {
    const token = FAKES["GITHUB_TOKEN"] as string;
    const line = `${"x=1;".repeat(5000)}const t="${token}";${"y=2;".repeat(5000)}`;
    const [m] = scanText(line);
    assert.ok(m);
    assert.equal(m.line, 1);
    assert.equal(m.column, 20_000 + 10);
    assert.ok(m.context.startsWith("…") && m.context.endsWith("…"));
    assert.ok(m.context.length < 200, `${m.context.length}`);
    assert.ok(m.context.includes(`const t="${m.redacted}";`));
  });

  it("are one printable line: no control or bidirectional-override characters", () => {
    const [m] = scanText(`\u001b[31mtoken=${FAKES["REGISTRY_TOKEN"]}\t\u202e# note\r\n`);
    assert.ok(m);
    assert.equal(m.context, `\uFFFD[31mtoken=${m.redacted} \uFFFD# note`);
  });

  it("of a private key show the BEGIN line only", () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const [m] = scanText(`key: |\n  ${pem.trimEnd().replaceAll("\n", "\n  ")}\nnext: 1\n`);
    assert.ok(m);
    assert.deepEqual([m.line, m.endLine, m.column], [2, 4, 3]);
    assert.equal(m.context, `  -----BEGIN PRIVATE KEY-----****… (${m.fingerprint})`);
  });
});

describe("lines and columns", () => {
  it("count from 1, with LF and CR LF line ends alike", () => {
    const text = `a=1\r\nb=2\r\n  GITHUB_TOKEN: ${FAKES["GITHUB_TOKEN"]}\r\n`;
    const [m] = scanText(text);
    assert.deepEqual([m?.line, m?.endLine, m?.column], [3, 3, 17]);
    assert.equal(m?.context, `  GITHUB_TOKEN: ${m?.redacted}`);
  });
});

describe("allow rules", () => {
  const token = FAKES["GITHUB_TOKEN"] as string;

  it("the caller's value regex drops a match", () => {
    const allow = [defineAllowRule({ id: "ci-bot", description: "the CI bot's token, rotated daily", value: new RegExp(`^${token}$`) })];
    assert.deepEqual(scanText(`t=${token}`, { allow }), []);
    assert.equal(scanText(`t=${token}`).length, 1);
  });

  it("a path rule drops the whole file, and only that path", () => {
    const allow = [defineAllowRule({ id: "fixtures", description: "our test fixtures", path: /^\/app\/test\// })];
    assert.deepEqual(scanText(`t=${token}`, { path: "/app/test/fixture.env", allow }), []);
    assert.equal(scanText(`t=${token}`, { path: "/app/.env", allow }).length, 1);
    assert.equal(scanText(`t=${token}`, { allow }).length, 1, "no path given: path rules never match");
  });

  it("a rule-scoped path rule drops only that rule's matches", () => {
    const allow = [defineAllowRule({ id: "docs-jwts", description: "JWTs in docs", path: /\.md$/, rules: ["PCS-SEC-017"] })];
    const text = `${FAKES["SERVICE_JWT"]}\n${token}\n`;
    assert.deepEqual(
      scanText(text, { path: "/usr/share/doc/x/README.md", allow }).map((m) => m.rule.id),
      ["PCS-SEC-007"],
    );
  });

  it("the built-in allow rules can be turned off", () => {
    const example = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE";
    assert.deepEqual(scanText(example), []);
    assert.deepEqual(
      scanText(example, { builtinAllow: false }).map((m) => m.rule.id),
      ["PCS-SEC-001"],
    );
  });

  it("the suggested path rules skip documentation and dependencies' test fixtures when the caller adds them", () => {
    const text = `t=${token}`;
    for (const path of ["/usr/share/doc/openssl/README", "/usr/local/go/src/crypto/tls/testdata/key.pem", "/app/node_modules/ssh2/test/fixtures/id_rsa", "/usr/lib/python3.12/test/keycert.pem"]) {
      assert.deepEqual(scanText(text, { path, allow: SUGGESTED_PATH_ALLOW }), [], path);
    }
    for (const path of ["/app/.env", "/app/test/.env", "/home/app/.npmrc"]) {
      assert.equal(scanText(text, { path, allow: SUGGESTED_PATH_ALLOW }).length, 1, path);
    }
  });
});

describe("custom rules", () => {
  it("run instead of the catalog, through the same prefilter, redaction and findings", () => {
    const acme = tokenRule({
      id: "PCS-SEC-901",
      title: "ACME deploy key",
      severity: "high",
      why: "Deploys to production.",
      remediation: "Rotate it in the ACME console.",
      references: ["https://acme.example/keys"],
      mappings: {},
      keywords: ["acme_"],
      patterns: [/(?<![A-Za-z0-9_])acme_[a-z0-9]{24}(?![A-Za-z0-9_])/g],
      shown: () => "acme_",
    });
    const key = "acme_" + fake("acme", 24, "abcdefghijklmnopqrstuvwxyz0123456789");
    const ms = scanText(`DEPLOY=${key}\nGITHUB_TOKEN=${FAKES["GITHUB_TOKEN"]}`, { rules: [acme] });
    assert.deepEqual(summary(ms), [["PCS-SEC-901", 1]]);
    assert.equal(ms[0]?.redacted, `acme_****… (${fingerprintOf(key)})`);
  });
});

describe("toFinding", () => {
  it("makes a secret finding with the rule's id, severity, title, references, Trivy aliases and the redacted context", () => {
    const [m] = scanText(`\nGITHUB_TOKEN=${FAKES["GITHUB_TOKEN"]}`, { path: "/app/.env" });
    assert.ok(m);
    const rule = SECRET_RULES.find((r) => r.id === "PCS-SEC-007")!;
    assert.deepEqual(toFinding(m, { layer: "sha256:" + "cd".repeat(32) }), {
      kind: "secret",
      id: "PCS-SEC-007",
      aliases: ["github-pat", "github-oauth", "github-app-token", "github-refresh-token", "github-fine-grained-pat"],
      severity: "critical",
      title: "GitHub token",
      location: { layer: "sha256:" + "cd".repeat(32), path: "/app/.env", line: 2, endLine: 2 },
      references: rule.references,
      evidence: `GITHUB_TOKEN=${m.redacted}`,
    });
  });

  it("takes the path given to it over the match's", () => {
    const [m] = scanText(`t=${FAKES["GITHUB_TOKEN"]}`);
    assert.ok(m);
    assert.equal(m.path, undefined);
    assert.deepEqual(toFinding(m, { path: "/etc/profile.d/ci.sh" }).location, { path: "/etc/profile.d/ci.sh", line: 1, endLine: 1 });
  });
});

describe("inputs built to make regexes backtrack finish", () => {
  const MB = 1024 * 1024;
  const fill1MB = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length));
  const inputs: [string, string][] = [
    ["a 1 MB line of =", "=".repeat(MB)],
    ["a 1 MB line of a", "a".repeat(MB)],
    ["password= a hundred thousand times", fill1MB("password=")],
    ["password=\" unterminated, over and over", fill1MB('password="')],
    ["secret: on one line", fill1MB("secret:")],
    ["<password> with no value", fill1MB("<password>")],
    ["AKIA over and over", fill1MB("AKIA")],
    ["access key ids, one per line", fill1MB(`${FAKES["AWS_KEY_ID"]}\n`)],
    ["eyJ over and over", fill1MB("eyJ")],
    ["JWT-like parts without signatures", fill1MB("eyJhbGciOiJIUzI1NiJ9.eyJ")],
    ["BEGIN lines without END", fill1MB("-----BEGIN RSA PRIVATE KEY-----\n")],
    ["BEGIN lines and one END", fill1MB("-----BEGIN PRIVATE KEY-----\nMIIE\n") + "-----END PRIVATE KEY-----\n"],
    ["service account markers without keys", fill1MB('{"type": "service_account", "private_key": "x"}')],
    ["connection URL prefixes", fill1MB("postgres://")],
    ["a connection URL user without end", "postgres://" + "u".repeat(MB)],
    ["token prefixes", fill1MB("ghp_xoxb-glpat-sk_live_npm_AIza")],
    ["a token prefix and a long run", "ghp_" + "a".repeat(MB)],
    ["minified code", fill1MB('var a=b.c(d,"e"),f={g:h,i:[1,2,3]};function j(k){return k&&k.l?m(k):n}')],
    ["base64 data", createHash("sha512").update("x").digest("base64").repeat(Math.ceil(MB / 88))],
  ];
  for (const [name, text] of inputs) {
    it(name, { timeout: 10_000 }, () => {
      const ms = scanText(text);
      assert.ok(Array.isArray(ms));
    });
  }
});
