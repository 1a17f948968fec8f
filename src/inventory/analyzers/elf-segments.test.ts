/**
 * The writable segments of real executables, checked against what binutils'
 * readelf says about the same files: C and C++ programs, Debian's skopeo
 * (a Go program linked by the system linker) and the go command itself.
 *
 * Needs: apt-get install -y binutils golang-go skopeo
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { MAX_PROGRAM_HEADER_END, writableSegments, type FileRange } from "./elf-segments.js";

/** readelf's program headers → the file ranges of loadable segments with the W flag, merged. */
function readelfWritable(file: string): FileRange[] {
  const out = execFileSync("readelf", ["-lW", file], { encoding: "utf8" });
  const ranges: FileRange[] = [];
  for (const line of out.split("\n")) {
    // Type Offset VirtAddr PhysAddr FileSiz MemSiz Flg Align
    const m = /^\s*LOAD\s+0x([0-9a-f]+)\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+0x[0-9a-f]+\s+([RWE ]+?)\s+0x/.exec(line);
    if (m && m[3]!.includes("W") && parseInt(m[2]!, 16) > 0) {
      const start = parseInt(m[1]!, 16);
      ranges.push({ start, end: start + parseInt(m[2]!, 16) });
    }
  }
  return ranges.sort((a, b) => a.start - b.start);
}

const goCommand = () => execFileSync("go", ["env", "GOROOT"], { encoding: "utf8" }).trim() + "/bin/go";

describe("writableSegments", () => {
  for (const [what, file] of [
    ["a C program (ls)", "/bin/ls"],
    ["a large C++ program (node)", process.execPath],
    ["a Go program linked by the system linker (skopeo)", "/usr/bin/skopeo"],
    ["a Go program linked by Go's own linker (the go command)", goCommand()],
  ] as const) {
    it(`agrees with readelf on ${what}`, () => {
      const head = readFileSync(file).subarray(0, MAX_PROGRAM_HEADER_END);
      const expected = readelfWritable(file);
      assert.ok(expected.length > 0, `${file} has a writable segment`);
      assert.deepEqual(writableSegments(head), expected);
    });
  }

  it("asks for more bytes until the program headers are all there", () => {
    const bytes = readFileSync("/bin/ls");
    assert.deepEqual(writableSegments(bytes.subarray(0, 4)), { need: 64 });
    const need = writableSegments(bytes.subarray(0, 100));
    assert.ok(need !== null && "need" in need && need.need > 100, JSON.stringify(need));
    assert.deepEqual(writableSegments(bytes.subarray(0, need.need)), readelfWritable("/bin/ls"));
  });

  it("gives null for what is not an ELF file, so the caller searches everything", () => {
    assert.equal(writableSegments(Buffer.from("#!/bin/sh\necho hello\n".repeat(10))), null);
    assert.equal(writableSegments(Buffer.from("MZ" + "\0".repeat(100))), null);
  });

  it("gives null when the program headers claim to lie beyond the head it will wait for", () => {
    const bytes = Buffer.from(readFileSync("/bin/ls").subarray(0, 4096));
    bytes.writeBigUInt64LE(BigInt(MAX_PROGRAM_HEADER_END), 0x20);
    assert.equal(writableSegments(bytes), null);
  });
});
