/**
 * OS detection against this machine's own release files, with the shell
 * (which os-release(5) says the format is a subset of) as the oracle for quoting.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  mergeOsFacts,
  osReleaseAnalyzer,
  parseAlpineRelease,
  parseDebianVersion,
  parseOsRelease,
  parseRedhatRelease,
} from "./os-release.js";
import { memoryFile as layerFile } from "../../../test/support/layer-file.js";

const work = mkdtempSync(join(tmpdir(), "pcs-os-release-"));

/** What `sh` makes of a file when it sources it: the named variables, in order. */
function sourcedBySh(path: string, names: string[]): string[] {
  const script = `. "$1"; printf '%s\\0' ${names.map((n) => `"$${n}"`).join(" ")}`;
  const out = execFileSync("sh", ["-c", script, "sh", path], { encoding: "utf8" });
  return out.split("\0").slice(0, names.length);
}

const OS_RELEASE = "/etc/os-release";
const DEBIAN_VERSION = "/etc/debian_version";

test("this machine's os-release gives the ID, VERSION_ID, codename and pretty name the shell sees", () => {
  const [id, versionId, codename, pretty] = sourcedBySh(OS_RELEASE, ["ID", "VERSION_ID", "VERSION_CODENAME", "PRETTY_NAME"]);
  assert.ok(id, "the machine's os-release has an ID");
  const fact = parseOsRelease(readFileSync(OS_RELEASE, "utf8"), OS_RELEASE);
  assert.deepEqual(fact, {
    from: "os-release",
    family: id,
    ...(versionId ? { version: versionId } : {}),
    ...(codename ? { codename } : {}),
    ...(pretty ? { prettyName: pretty } : {}),
  });
});

test("quoting: double and single quotes, escapes and concatenation read as the shell reads them", () => {
  const text = [
    "# a comment line",
    "",
    'A="a \\"quoted\\" \\$HOME \\\\ back \\` tick"',
    "B='single $x \"dq\" \\n'",
    `C=con"cat"'ed'`,
    "D=esc\\ aped",
    'E=""',
    'F="tab\tinside"',
    "G=x#not-a-comment",
    'H="no \\n escape"',
    "  I=indented",
    "A_LATER='first'",
    "A_LATER='second'",
  ].join("\n");
  const path = join(work, "os-release-quoting");
  writeFileSync(path, `${text}\n`);
  const names = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "A_LATER"];
  const expected = sourcedBySh(path, names);
  // The parser exposes os-release fields only: read each variable as VERSION_ID.
  for (const [i, name] of names.entries()) {
    const renamed = text.replace(new RegExp(`^(\\s*)${name}=`, "gm"), "$1VERSION_ID=");
    assert.equal(parseOsRelease(renamed, path).version ?? "", expected[i], name);
  }
});

test("an unquoted value keeps its inner spaces, as systemd reads it; ID is lower-cased and defaults to linux", () => {
  assert.deepEqual(parseOsRelease('NAME="X"\nPRETTY_NAME=Foo Linux 1\nID=Foo\n'), { from: "os-release", family: "foo", prettyName: "Foo Linux 1" });
  assert.deepEqual(parseOsRelease('NAME="Arch"\r\nPRETTY_NAME="Arch Linux"\r\n'), { from: "os-release", family: "linux", prettyName: "Arch Linux" });
});

test("a malformed line is an error naming the file and the line", () => {
  assert.throws(() => parseOsRelease('ID=debian\nPRETTY_NAME="Debian\nVERSION_ID=12\n', OS_RELEASE), /^InputError: \/etc\/os-release line 2: unterminated double quote$/);
  assert.throws(() => parseOsRelease("ID=debian\n\nNAME='x\n", OS_RELEASE), /\/etc\/os-release line 3: unterminated single quote/);
  assert.throws(() => parseOsRelease("ID=debian\nnot an assignment\n", OS_RELEASE), /\/etc\/os-release line 2: expected KEY=value/);
  assert.throws(() => parseOsRelease("1D=x\n", OS_RELEASE), /line 1: expected KEY=value/);
});

test("this machine's debian_version gives the point release; merged with os-release, os-release names the OS", () => {
  const text = readFileSync(DEBIAN_VERSION, "utf8");
  const release = text.trim();
  const fact = parseDebianVersion(text, DEBIAN_VERSION);
  assert.equal(fact.release, release);
  const [id, versionId, codename, pretty] = sourcedBySh(OS_RELEASE, ["ID", "VERSION_ID", "VERSION_CODENAME", "PRETTY_NAME"]);
  const os = mergeOsFacts([fact, parseOsRelease(readFileSync(OS_RELEASE, "utf8"), OS_RELEASE)]);
  assert.deepEqual(os, {
    family: id,
    version: versionId,
    ...(codename ? { codename } : {}),
    ...(pretty ? { prettyName: pretty } : {}),
    ...(id === "debian" ? { release } : {}),
  });
});

test("debian_version alone names Debian; on Ubuntu it is not Ubuntu's release", () => {
  assert.deepEqual(mergeOsFacts([parseDebianVersion("12.7\n")]), { family: "debian", version: "12", release: "12.7" });
  assert.deepEqual(mergeOsFacts([parseDebianVersion("trixie/sid\n")]), { family: "debian", version: "", release: "trixie/sid" });
  const ubuntu = parseOsRelease('ID=ubuntu\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\nPRETTY_NAME="Ubuntu 24.04.1 LTS"\n');
  assert.deepEqual(mergeOsFacts([ubuntu, parseDebianVersion("trixie/sid\n")]), {
    family: "ubuntu",
    version: "24.04",
    codename: "noble",
    prettyName: "Ubuntu 24.04.1 LTS",
  });
});

test("alpine-release gives the full release, and the OS when there is no os-release", () => {
  const alpine = parseAlpineRelease("3.20.3\n");
  assert.deepEqual(mergeOsFacts([alpine]), { family: "alpine", version: "3.20.3", release: "3.20.3" });
  const osRelease = parseOsRelease('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n');
  assert.deepEqual(mergeOsFacts([alpine, osRelease]), { family: "alpine", version: "3.20.3", prettyName: "Alpine Linux v3.20", release: "3.20.3" });
  assert.throws(() => parseAlpineRelease("hello\n", "/etc/alpine-release"), /\/etc\/alpine-release line 1: expected a release like/);
});

test("redhat-release and centos-release give the family, version and release", () => {
  assert.deepEqual(mergeOsFacts([parseRedhatRelease("CentOS Linux release 7.9.2009 (Core)\n")]), {
    family: "centos",
    version: "7",
    release: "7.9.2009",
    prettyName: "CentOS Linux release 7.9.2009 (Core)",
  });
  const rhel = parseRedhatRelease("Red Hat Enterprise Linux release 8.10 (Ootpa)\n");
  assert.deepEqual([rhel.family, rhel.version, rhel.release], ["rhel", "8.10", "8.10"]);
  assert.throws(() => parseRedhatRelease("Something else\n", "/etc/redhat-release"), /\/etc\/redhat-release line 1: expected/);
});

test("the first os-release wins; nothing known is undefined", () => {
  const etc = parseOsRelease("ID=debian\nVERSION_ID=12\n");
  const usr = parseOsRelease("ID=debian\nVERSION_ID=11\nVERSION_CODENAME=bullseye\n");
  assert.deepEqual(mergeOsFacts([etc, usr]), { family: "debian", version: "12" });
  assert.equal(mergeOsFacts([]), undefined);
  assert.equal(mergeOsFacts([undefined]), undefined);
});

test("the analyzer wants the release files and reads this machine's", async () => {
  const info = { size: 1, mode: 0o644 };
  for (const path of ["/etc/os-release", "/usr/lib/os-release", "/etc/debian_version", "/etc/alpine-release", "/etc/redhat-release", "/etc/centos-release"]) {
    assert.equal(osReleaseAnalyzer.wants(path, info), true, path);
  }
  assert.equal(osReleaseAnalyzer.wants("/etc/lsb-release", info), false);
  assert.equal(osReleaseAnalyzer.wants("/usr/etc/os-release", info), false);
  const result = await osReleaseAnalyzer.analyze(layerFile(OS_RELEASE, readFileSync(OS_RELEASE)));
  assert.deepEqual(result, { os: parseOsRelease(readFileSync(OS_RELEASE, "utf8"), OS_RELEASE) });
  const dv = await osReleaseAnalyzer.analyze(layerFile(DEBIAN_VERSION, readFileSync(DEBIAN_VERSION)));
  assert.equal(dv?.os?.release, readFileSync(DEBIAN_VERSION, "utf8").trim());
});
