/**
 * The allow decisions, one by one: which values are stand-ins rather than
 * secrets, which documented examples never fire, and how the caller's allow
 * rules combine value, digest, path and rule conditions.
 */
import { strict as assert } from "node:assert";
import { createHash, createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { BUILTIN_ALLOW, SUGGESTED_PATH_ALLOW, allowedBy, defineAllowRule, pathAllowedBy, placeholderReason } from "./allow.js";

describe("placeholderReason", () => {
  const standIns: [string, string][] = [
    ["", "empty"],
    ["   ", "empty"],
    ["${DB_PASSWORD}", "variable reference ${…}"],
    ["${DB_PASSWORD:-fallback}", "variable reference ${…}"],
    ["prefix-${SUFFIX}", "variable reference ${…}"],
    ["$DB_PASSWORD", "variable reference $VAR"],
    ["$(cat /run/secrets/db)", "command substitution $(…)"],
    ["{{ .Values.password }}", "template {{…}}"],
    ["{{ secrets.NPM_TOKEN }}", "template {{…}}"],
    ["#{dbPassword}", "interpolation #{…}"],
    ["%DB_PASSWORD%", "variable reference %VAR%"],
    ["%(password)s", "format field %(name)s"],
    ["{username}:{password}", "format field {name}"],
    ["@db.password@", "build filter @name@"],
    ["<password>", "placeholder <…>"],
    ["<your token here>", "placeholder <…>"],
    ["[REDACTED]", "placeholder […]"],
    ["ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)", "encrypted value ENC(…)"],
    ["!vault", "YAML tag"],
    ["!secret", "YAML tag"],
    ["process.env.DB_PASSWORD", "code reference"],
    ["os.environ['X']", "code reference"],
    ["System.getenv(\"X\")", "code reference"],
    ["getPassword()", "function call"],
    ["********", "one character repeated"],
    ["0000000000", "one character repeated"],
    ["xxxx-xxxx-xxxx", "masked"],
    ["***hidden***", "masked"],
    ["my-example-password", "example marker"],
    ["DummyValue123", "example marker"],
    ["your_api_key_here", "example marker"],
    ["change-me-please", "example marker"],
    ["changeme", "well-known default or stand-in word"],
    ["changeit", "well-known default or stand-in word"],
    ["password", "well-known default or stand-in word"],
    ["Secret", "well-known default or stand-in word"],
    ["admin", "well-known default or stand-in word"],
    ["guest", "well-known default or stand-in word"],
    ["postgres", "well-known default or stand-in word"],
    ["true", "well-known default or stand-in word"],
    ["null", "well-known default or stand-in word"],
    ["MYTOKEN1", "names itself (MYTOKEN1, mysecretpassword)"],
    ["mysecretpassword", "names itself (MYTOKEN1, mysecretpassword)"],
    [Buffer.from("changeme").toString("base64"), "base64 of a stand-in: well-known default or stand-in word"],
    [Buffer.from("isaacs:not my real password").toString("base64"), "base64 of a stand-in: names itself (MYTOKEN1, mysecretpassword)"],
    [Buffer.from("deploy:").toString("base64"), "base64 of a stand-in: empty"],
  ];
  for (const [value, reason] of standIns) {
    it(`"${value}" is a stand-in: ${reason}`, () => assert.equal(placeholderReason(value), reason));
  }

  it("random-looking values, short human passwords and values with a $ inside are not stand-ins", () => {
    for (const value of ["Zq8xPm4rT2kLw9Bn", "hunter2", "Tr0ub4dor&3", "pa$$word-9Kx", "a1b2c3d4e5f6", "sk_live_" + "Zq8xPm4rT2kLw9BnVc7Hy3Jd", Buffer.from("deploy:Zq8xPm4rT2kL").toString("base64")]) {
      assert.equal(placeholderReason(value), undefined, value);
    }
  });
});

describe("the built-in allow rules", () => {
  const allowed = (ruleId: string, secret: string): string | undefined => allowedBy(ruleId, secret, undefined, BUILTIN_ALLOW)?.id;

  it("allow AWS's documented example keys", () => {
    assert.equal(allowed("PCS-SEC-001", "AKIAIOSFODNN7EXAMPLE"), "aws-documentation-keys");
    assert.equal(allowed("PCS-SEC-001", "AKIAI44QH8DHBEXAMPLE"), "aws-documentation-keys");
    assert.equal(allowed("PCS-SEC-002", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "aws-documentation-keys");
  });

  it("allow values that say they are examples or are masked, for every rule but the private-key ones", () => {
    for (const v of ["ghp_" + "EXAMPLE" + "0123456789abcdefghijklmnopqrstu", "ghp_" + "x".repeat(36), "xoxb-123-dummy-456", "sk_live_" + "0".repeat(24), "placeholder-token"]) {
      assert.equal(allowed("PCS-SEC-007", v), "example-markers", v);
    }
    // OpenSSH and DER bodies hold runs of A's: a key body is never taken for a masked value.
    const opensshBody = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";
    for (const id of ["PCS-SEC-003", "PCS-SEC-015", "PCS-SEC-016"]) assert.equal(allowed(id, opensshBody), undefined, id);
    assert.equal(allowed("PCS-SEC-017", opensshBody), "example-markers");
  });

  it("allow the jwt.io sample token, known by its digest", () => {
    const h = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString("base64url");
    const p = Buffer.from('{"sub":"1234567890","name":"John Doe","iat":1516239022}').toString("base64url");
    const sample = `${h}.${p}.${createHmac("sha256", "your-256-bit-secret").update(`${h}.${p}`).digest("base64url")}`;
    assert.equal(allowed("PCS-SEC-017", sample), "jwt-io-sample");
    assert.equal(allowed("PCS-SEC-017", sample.slice(0, -1) + "x"), undefined);
    assert.equal(allowed("PCS-SEC-019", sample), undefined, "only for the JWT rule");
  });

  it("allow the example credentials of the OAuth RFCs", () => {
    for (const v of ["2YotnFZFEjr1zCsicMWpAA", "tGzv3JOkF0XG5Qx2TlKWIA", "hh5s93j4hdidpola", "kd94hf93k423kf44"]) {
      assert.equal(allowed("PCS-SEC-019", v), "oauth-rfc-examples", v);
    }
  });

  it("allow the storage emulator's account key and Stripe's documented test key", () => {
    const azurite = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq" + "/K1SZFPTOtr/KBHBeksoGMGw==";
    assert.equal(allowed("PCS-SEC-005", azurite), "azure-storage-emulator-key");
    assert.equal(allowed("PCS-SEC-012", "sk_" + "test_4eC39HqLyjWDarjtT1zdp7dc"), "stripe-documentation-key");
  });

  it("do not allow real-looking values", () => {
    for (const id of ["PCS-SEC-001", "PCS-SEC-007", "PCS-SEC-019"]) assert.equal(allowed(id, "Zq8xPm4rT2kLw9BnVc7Hy3Jd6Fs1Ga0E"), undefined);
  });
});

describe("allow rules of the caller", () => {
  it("need a value regex, digests or a path regex, and digests in lower-case hex", () => {
    assert.throws(() => defineAllowRule({ id: "nothing", description: "says nothing" }), /needs a value regex/);
    assert.throws(() => defineAllowRule({ id: "bad", description: "x", sha256: ["ABC"] }), /not a lower-case sha256/);
  });

  it("allow when every condition they set holds", () => {
    const rule = defineAllowRule({ id: "ci", description: "CI fixtures", value: /^test-/, path: /^\/ci\//, rules: ["PCS-SEC-019"] });
    assert.equal(allowedBy("PCS-SEC-019", "test-Zq8xPm4r", "/ci/a.env", [rule])?.id, "ci");
    assert.equal(allowedBy("PCS-SEC-019", "prod-Zq8xPm4r", "/ci/a.env", [rule]), undefined, "value differs");
    assert.equal(allowedBy("PCS-SEC-019", "test-Zq8xPm4r", "/app/a.env", [rule]), undefined, "path differs");
    assert.equal(allowedBy("PCS-SEC-019", "test-Zq8xPm4r", undefined, [rule]), undefined, "no path given");
    assert.equal(allowedBy("PCS-SEC-007", "test-Zq8xPm4r", "/ci/a.env", [rule]), undefined, "another rule");
  });

  it("match exact values by sha256 digest", () => {
    const digest = createHash("sha256").update("Zq8xPm4rT2kLw9Bn").digest("hex");
    const rule = defineAllowRule({ id: "known", description: "a rotated key kept in a fixture", sha256: [digest] });
    assert.equal(allowedBy("PCS-SEC-019", "Zq8xPm4rT2kLw9Bn", undefined, [rule])?.id, "known");
    assert.equal(allowedBy("PCS-SEC-019", "Zq8xPm4rT2kLw9Bm", undefined, [rule]), undefined);
  });

  it("are not thrown off by regexes with the g flag", () => {
    const rule = defineAllowRule({ id: "g", description: "global flag", value: /fixture/g });
    for (let i = 0; i < 3; i++) assert.equal(allowedBy("PCS-SEC-019", "a-fixture-value", undefined, [rule])?.id, "g");
  });

  it("skip a whole file only when the rule has a path and nothing else", () => {
    const list = [
      defineAllowRule({ id: "scoped", description: "only JWTs", path: /\.md$/, rules: ["PCS-SEC-017"] }),
      defineAllowRule({ id: "fixtures", description: "fixtures", path: /\/fixtures\// }),
    ];
    assert.equal(pathAllowedBy("/app/fixtures/a.env", list)?.id, "fixtures");
    assert.equal(pathAllowedBy("/app/README.md", list), undefined);
  });
});

describe("the suggested path allow rules", () => {
  const skipped = (path: string): string | undefined => pathAllowedBy(path, SUGGESTED_PATH_ALLOW)?.id;
  it("skip documentation, the Go toolchain, CPython's tests and dependencies' test fixtures", () => {
    assert.equal(skipped("/usr/share/doc/openssl/README"), "documentation");
    assert.equal(skipped("usr/share/man/man1/ssh.1"), "documentation");
    assert.equal(skipped("/usr/local/go/src/crypto/tls/testdata/example-key.pem"), "go-toolchain");
    assert.equal(skipped("/usr/lib/python3.12/test/keycert.pem"), "python-test-suite");
    assert.equal(skipped("/usr/local/lib/python3.11/test/ssl_key.pem"), "python-test-suite");
    assert.equal(skipped("/app/node_modules/ssh2/test/fixtures/id_rsa"), "dependency-tests");
    assert.equal(skipped("/usr/lib/python3/dist-packages/requests/tests/key.pem"), "dependency-tests");
  });
  it("keep the application's own files", () => {
    for (const p of ["/app/.env", "/app/test/.env", "/home/app/.npmrc", "/etc/ssl/private/server.key", "/app/node_modules/.env"]) assert.equal(skipped(p), undefined, p);
  });
});
