import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { after, describe, it } from "node:test";
import { ChunkSink, TarFormatError, TarReader } from "./tar-entries.js";

const work = mkdtempSync(join(tmpdir(), "pcs-tar-entries-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** A real tar written by GNU tar in the given format from a small tree. */
function gnuTar(format: "gnu" | "posix" | "ustar"): Buffer {
  const root = join(work, `tree-${format}`);
  const deep = join(root, "d".repeat(60), "e".repeat(60));
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(root, "small.txt"), "hello\n");
  writeFileSync(join(root, "block.bin"), Buffer.alloc(512, 7));
  writeFileSync(join(root, "big.bin"), Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251)));
  writeFileSync(join(deep, `${"f".repeat(40)}.txt`), "deep\n");
  const out = join(work, `${format}.tar`);
  execFileSync("tar", ["--format", format, "--sort=name", "-cf", out, "-C", root, "."]);
  return readFileSync(out);
}

interface Seen {
  name: string;
  type: string;
  size: number;
  body?: string;
}

/** Feeds `tar` in chunks of `chunk` bytes and records entries; opens bodies whose names match `open`. */
async function read(tar: Buffer, chunk: number, open: (name: string) => "all" | "part" | "none"): Promise<Seen[]> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < tar.length; i += chunk) chunks.push(tar.subarray(i, i + chunk));
  const sink = new ChunkSink();
  const flowing = pipeline(Readable.from(chunks), sink);
  const seen: Seen[] = [];
  for await (const entry of new TarReader(sink).entries()) {
    const item: Seen = { name: entry.name, type: entry.type, size: entry.size };
    const how = open(entry.name);
    if (how !== "none") {
      const parts: Buffer[] = [];
      // Chunks are views the reader reuses: what is kept is copied.
      for await (const c of entry.open()) {
        parts.push(Buffer.from(c));
        if (how === "part") break;
      }
      item.body = Buffer.concat(parts).toString("latin1");
    }
    seen.push(item);
  }
  await flowing;
  return seen;
}

const names = (seen: Seen[]) => seen.map((s) => s.name);

describe("streaming tar entries", () => {
  for (const format of ["gnu", "posix", "ustar"] as const) {
    it(`reads a GNU tar in ${format} format, long names included, whatever the chunk size`, async () => {
      const tar = gnuTar(format);
      const reference = await read(tar, 1 << 20, () => "all");
      const deepName = `./${"d".repeat(60)}/${"e".repeat(60)}/${"f".repeat(40)}.txt`;
      assert.ok(names(reference).includes(deepName), `the ${deepName.length}-byte name survives (${names(reference).join(", ")})`);
      const big = reference.find((s) => s.name === "./big.bin")!;
      assert.equal(big.size, 70_000);
      assert.equal(Buffer.from(big.body!, "latin1").equals(readFileSync(join(work, `tree-${format}`, "big.bin"))), true);
      for (const chunk of [1, 7, 511, 512, 513, 4096]) {
        assert.deepEqual(await read(tar, chunk, () => "all"), reference, `chunks of ${chunk} bytes`);
      }
    });
  }

  it("skips bodies nobody opens, and the rest of a body abandoned part way", async () => {
    const tar = gnuTar("posix");
    const all = await read(tar, 1000, () => "all");
    const skipped = await read(tar, 1000, () => "none");
    assert.deepEqual(names(skipped), names(all));
    const partly = await read(tar, 1000, (name) => (name === "./big.bin" ? "part" : name === "./small.txt" ? "all" : "none"));
    assert.deepEqual(names(partly), names(all));
    const part = partly.find((s) => s.name === "./big.bin")!.body!;
    const whole = all.find((s) => s.name === "./big.bin")!.body!;
    assert.ok(part.length > 0 && part.length < whole.length && whole.startsWith(part), "a true prefix was read");
    assert.equal(partly.find((s) => s.name === "./small.txt")!.body, "hello\n", "the entry after an abandoned body is intact");
  });

  it("reports a tar cut short with the offset where it ends", async () => {
    const tar = gnuTar("gnu");
    const cut = tar.subarray(0, 512 * 3 + 100);
    await assert.rejects(read(cut, 256, () => "all"), (err: unknown) => {
      assert.ok(err instanceof TarFormatError, String(err));
      assert.match(err.detail, /truncated tar/);
      return true;
    });
  });

  it("refuses a header whose checksum does not add up, naming its offset", async () => {
    // The archive starts with the "./" directory, which has no body: the next header is at 512.
    const firstBodyless = 512;
    const damaged = Buffer.from(gnuTar("ustar"));
    damaged[firstBodyless + 3]! ^= 0x20;
    await assert.rejects(read(damaged, 4096, () => "none"), (err: unknown) => {
      assert.ok(err instanceof TarFormatError);
      assert.equal(err.offset, firstBodyless);
      assert.match(err.detail, /checksum/);
      return true;
    });
  });
});
