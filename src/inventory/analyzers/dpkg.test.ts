/**
 * The dpkg analyzers against this machine's own dpkg database, with dpkg-query
 * as the oracle, and against real paragraphs taken from it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { InputError } from "../../common/index.js";
import type { Package } from "../model.js";
import { parsePurl } from "../purl.js";
import { dpkgFilesAnalyzer, dpkgStatusAnalyzer, parseDpkgFileList, parseDpkgStatus, withDistro } from "./dpkg.js";
import { memoryFile as layerFile } from "../../../test/support/layer-file.js";

const STATUS = "/var/lib/dpkg/status";
// The machine's dpkg database: its absence is a failure, not a skip.
const statusText = readFileSync(STATUS, "utf8");

/** The paragraphs of the real status file, each with the 1-based line it starts on. */
function realParagraphs(): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let line = 1;
  for (const text of statusText.split("\n\n")) {
    if (text.trim() !== "") out.push({ line: line + (text.length - text.trimStart().length), text: text.trim() });
    line += text.split("\n").length + 1;
  }
  return out;
}

/** A real paragraph with a Source field of the "name (version)" form and a multi-line Description. */
function realParagraphWithSourceVersion(): { line: number; text: string } {
  const p = realParagraphs().find((x) => /^Source: \S+ \(\S+\)$/m.test(x.text) && /^Description: .*\n /m.test(x.text));
  assert.ok(p, "the status file has a package whose Source names a version");
  return p;
}

function field(paragraph: string, name: string): string {
  const m = new RegExp(`^${name}: (.*)$`, "m").exec(paragraph);
  assert.ok(m, `paragraph has ${name}`);
  return m[1]!;
}

test("every package dpkg-query lists as present is parsed with its name, version, architecture and source", () => {
  const format = "${binary:Package}\\t${Architecture}\\t${Version}\\t${source:Package}\\t${source:Version}\\t${db:Status-Abbrev}\\n";
  const rows = execFileSync("dpkg-query", ["-W", "-f", format], { encoding: "utf8" })
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.split("\t"));
  // Status-Abbrev's second letter is the state: installed, unpacked, half-configured, triggers-awaiting/pending.
  const present = rows.filter((r) => "iUFWt".includes(r[5]![1]!));
  assert.ok(present.length > 0, "dpkg-query lists installed packages");
  const expected = present
    .map(([binary, arch, version, srcName, srcVersion]) => {
      // binary:Package is "name:arch" for Multi-Arch: same packages.
      const [name, qualifier] = binary!.split(":");
      if (qualifier !== undefined) assert.equal(qualifier, arch, binary);
      return [name, arch, version, srcName, srcVersion].join(" ");
    })
    .sort();
  const actual = parseDpkgStatus(statusText, STATUS)
    .map((p) => [p.name, p.arch, p.version, p.source?.name, p.source?.version].join(" "))
    .sort();
  assert.deepEqual(actual, expected);
});

test("each package records its file, type, purl with arch and no licenses", () => {
  const p = realParagraphWithSourceVersion();
  const [pkg] = parseDpkgStatus(p.text, STATUS);
  const name = field(p.text, "Package");
  const version = field(p.text, "Version");
  const arch = field(p.text, "Architecture");
  assert.deepEqual(parsePurl(pkg!.purl), { type: "deb", namespace: "debian", name, version, qualifiers: { arch } });
  assert.deepEqual(pkg, {
    name,
    version,
    type: "deb",
    purl: pkg!.purl,
    source: { name: /^Source: (\S+)/m.exec(p.text)![1], version: /^Source: \S+ \((\S+)\)/m.exec(p.text)![1] },
    licenses: [],
    arch,
    paths: [STATUS],
  });
});

test("only packages whose files are on disk are reported: config-files, half-installed and not-installed are not", () => {
  const p = realParagraphWithSourceVersion();
  const status = (s: string): string => p.text.replace(/^Status: .*$/m, `Status: ${s}`);
  assert.equal(parseDpkgStatus(status("hold ok installed"), STATUS).length, 1);
  assert.equal(parseDpkgStatus(status("install ok triggers-pending"), STATUS).length, 1);
  assert.equal(parseDpkgStatus(status("install ok unpacked"), STATUS).length, 1);
  assert.equal(parseDpkgStatus(status("deinstall ok config-files"), STATUS).length, 0);
  assert.equal(parseDpkgStatus(status("install reinstreq half-installed"), STATUS).length, 0);
  // dpkg keeps never-installed selections without a Version.
  const notInstalled = `Package: ${field(p.text, "Package")}\nStatus: purge ok not-installed\nArchitecture: amd64\n`;
  assert.deepEqual(parseDpkgStatus(notInstalled, STATUS), []);
  assert.throws(() => parseDpkgStatus(status("install ok"), STATUS), /line 1: field "Status"/);
});

test("a paragraph without Version is an error naming the file and the paragraph's line", () => {
  const paragraphs = realParagraphs();
  const victim = paragraphs[Math.floor(paragraphs.length / 2)]!;
  const broken = statusText.replace(victim.text, victim.text.replace(/^Version: .*\n/m, ""));
  assert.throws(
    () => parseDpkgStatus(broken, STATUS),
    (err: unknown) =>
      err instanceof InputError &&
      err.source === STATUS &&
      err.location === `line ${victim.line}` &&
      err.message === `${STATUS} line ${victim.line}: package "${field(victim.text, "Package")}" has no "Version" field`,
  );
});

test("a paragraph without Package, or a line that is not a field, is an error with its line", () => {
  const p = realParagraphWithSourceVersion();
  assert.throws(() => parseDpkgStatus(`\n\n${p.text.replace(/^Package: .*\n/m, "")}`, STATUS), /status line 3: paragraph has no "Package" field/);
  const lines = p.text.split("\n");
  lines.splice(2, 0, "this is not a field");
  assert.throws(() => parseDpkgStatus(lines.join("\n"), STATUS), /status line 3: expected "Field: value"/);
  assert.throws(() => parseDpkgStatus(` continuation\n${p.text}`, STATUS), /status line 1: continuation line without a field/);
});

test("distroless status.d files hold one paragraph each; their md5sums are not read", async () => {
  const p = realParagraphWithSourceVersion();
  const name = field(p.text, "Package");
  const path = `/var/lib/dpkg/status.d/${name}`;
  assert.equal(dpkgStatusAnalyzer.wants(path, { size: 1, mode: 0o644 }), true);
  assert.equal(dpkgStatusAnalyzer.wants(STATUS, { size: 1, mode: 0o644 }), true);
  assert.equal(dpkgStatusAnalyzer.wants(`${path}.md5sums`, { size: 1, mode: 0o644 }), false);
  assert.equal(dpkgStatusAnalyzer.wants(`/var/lib/dpkg/status.d/sub/${name}`, { size: 1, mode: 0o644 }), false);
  assert.equal(dpkgStatusAnalyzer.wants("/var/lib/dpkg/status-old", { size: 1, mode: 0o644 }), false);

  const result = await dpkgStatusAnalyzer.analyze(layerFile(path, `${p.text}\n`));
  assert.deepEqual(result?.packages?.map((x) => [x.name, x.version, x.paths]), [[name, field(p.text, "Version"), [path]]]);
  // Distroless writes the .deb's control file, which has no Status field: that package is installed.
  const control = p.text.replace(/^Status: .*\n/m, "");
  assert.equal(parseDpkgStatus(control, path).length, 1);
});

test("withDistro puts the OS family and release into the purl of OS packages only", () => {
  const [deb] = parseDpkgStatus(realParagraphWithSourceVersion().text, STATUS);
  const fixed = withDistro(deb!, { family: "debian", version: "12" });
  const parsed = parsePurl(fixed.purl);
  assert.equal(parsed.namespace, "debian");
  assert.equal(parsed.name, deb!.name);
  assert.equal(parsed.version, deb!.version);
  assert.deepEqual(parsed.qualifiers, { arch: deb!.arch, distro: "debian-12" });
  assert.deepEqual({ ...fixed, purl: deb!.purl }, deb);

  const ubuntu = withDistro(deb!, { family: "ubuntu", version: "24.04" });
  assert.match(ubuntu.purl, /^pkg:deb\/ubuntu\/.*&distro=ubuntu-24\.04$/);

  const apk: Package = { name: "musl", version: "1.2.5-r0", type: "apk", purl: "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64", licenses: ["MIT"], paths: [] };
  assert.equal(withDistro(apk, { family: "alpine", version: "3.20.3" }).purl, "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3");
  const npm: Package = { name: "left-pad", version: "1.3.0", type: "npm", purl: "pkg:npm/left-pad@1.3.0", licenses: [], paths: [] };
  assert.equal(withDistro(npm, { family: "alpine", version: "3.20.3" }), npm);
});

test("dpkg's info/*.list files give the paths dpkg owns, as dpkg-query -L lists them", async () => {
  const path = "/var/lib/dpkg/info/dpkg.list";
  assert.equal(dpkgFilesAnalyzer.wants(path, { size: 1, mode: 0o644 }), true);
  assert.equal(dpkgFilesAnalyzer.wants("/var/lib/dpkg/info/libc6:amd64.list", { size: 1, mode: 0o644 }), true);
  assert.equal(dpkgFilesAnalyzer.wants("/var/lib/dpkg/info/dpkg.md5sums", { size: 1, mode: 0o644 }), false);
  const expected = execFileSync("dpkg-query", ["-L", "dpkg"], { encoding: "utf8" })
    .split("\n")
    .filter((l) => l !== "" && l !== "/.");
  assert.ok(expected.includes("/usr/bin/dpkg"));
  const result = await dpkgFilesAnalyzer.analyze(layerFile(path, readFileSync(path, "utf8")));
  assert.deepEqual(result?.ownedFiles, expected);
  assert.throws(() => parseDpkgFileList("/.\n/usr\nusr/bin\n", path), /dpkg\.list line 3: expected an absolute path/);
});
