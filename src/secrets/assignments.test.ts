/** `key = value` in the shapes config files and scripts write it, and the shapes that are not assignments. */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { VALUE_MAX, findAssignments } from "./assignments.js";

const one = (text: string): [string, string, boolean] | undefined => {
  const [a] = findAssignments(text, /password/gi);
  return a && [a.key, a.value, a.quoted];
};

describe("findAssignments", () => {
  const shapes: [string, string, [string, string, boolean]][] = [
    ["env file", "DB_PASSWORD=s3cr3t", ["DB_PASSWORD", "s3cr3t", false]],
    ["shell export, single quotes", "export DB_PASSWORD='s3 cr3t'", ["DB_PASSWORD", "s3 cr3t", true]],
    ["shell, double quotes with an escape", 'DB_PASSWORD="a\\"b"', ["DB_PASSWORD", 'a\\"b', true]],
    ["YAML", "  password: s3cr3t # comment", ["password", "s3cr3t", false]],
    ["YAML, quoted", "password: 'x y'", ["password", "x y", true]],
    ["JSON", '{"password": "s3cr3t", "user": "app"}', ["password", "s3cr3t", true]],
    ["JSON, compact", '{"password":"s3cr3t"}', ["password", "s3cr3t", true]],
    ["properties", "spring.datasource.password = s3cr3t", ["spring.datasource.password", "s3cr3t", false]],
    ["command-line flag", "mysql --password=s3cr3t -h db", ["--password", "s3cr3t", false]],
    ["XML element", "<password>s3cr3t</password>", ["password", "s3cr3t", false]],
    ["XML attribute", '<ds password="s3cr3t"/>', ["password", "s3cr3t", true]],
    ["Go", 'password := "s3cr3t"', ["password", "s3cr3t", true]],
    ["Ruby", ':password => "s3cr3t"', ["password", "s3cr3t", true]],
    ["query string", "https://h/login?user=a&password=s3cr3t&next=/", ["password", "s3cr3t", false]],
    ["template literal", "const password = `s3cr3t`;", ["password", "s3cr3t", true]],
    ["empty", "PASSWORD=\n", ["PASSWORD", "", false]],
    ["CR LF", "PASSWORD=s3cr3t\r\n", ["PASSWORD", "s3cr3t", false]],
  ];
  for (const [name, text, expected] of shapes) {
    it(`reads ${name}`, () => assert.deepEqual(one(text), expected));
  }

  const notAssignments: [string, string][] = [
    ["a comparison", 'if password == "x":'],
    ["a strict comparison", "if (password === x)"],
    ["an inequality", 'if [ "$PASSWORD" != "" ]'],
    ["a path", "use secret::Password;"],
    ["prose", "enter your password and press enter"],
    ["an unterminated quote", 'password = "never closed\nnext line"'],
    ["an XML element closed by another", "<password>x</passwd>"],
    ["a value longer than the limit", `password=${"a".repeat(VALUE_MAX + 1)}`],
  ];
  for (const [name, text] of notAssignments) {
    it(`skips ${name}`, () => assert.equal(one(text), undefined));
  }

  it("gives offsets of the value in the text", () => {
    const text = 'a: 1\n  "db_password": "s3cr3t"\n';
    const [a] = findAssignments(text, /password/gi);
    assert.ok(a);
    assert.equal(text.slice(a.valueStart, a.valueEnd), "s3cr3t");
    assert.equal(text.slice(a.keyStart, a.keyStart + a.key.length), "db_password");
  });

  it("reads each assignment once, however many keywords its key holds", () => {
    const found = findAssignments("secret_token_password=x\npassword=y\n", /secret|token|password/gi);
    assert.deepEqual(
      found.map((a) => [a.key, a.value]),
      [
        ["secret_token_password", "x"],
        ["password", "y"],
      ],
    );
  });

  it("needs a global keyword regex", () => {
    assert.throws(() => findAssignments("x", /password/i), /needs the g flag/);
  });
});
