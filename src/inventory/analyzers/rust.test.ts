import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { cargoLockAnalyzer, parseCargoLock } from "./rust.js";
import { memoryFile as layerFile, throwsInputError } from "../../../test/support/layer-file.js";

const testdata = fileURLToPath(new URL("./testdata/rust/", import.meta.url));
const cargoLock = readFileSync(join(testdata, "Cargo.lock"), "utf8");

const rejectsWith = (fn: () => unknown, pattern: RegExp): void => throwsInputError(fn, "/src/Cargo.lock", pattern);

describe("Cargo.lock", () => {
  it("every [[package]]: registry crates and the workspace's own path crates", async () => {
    const result = await cargoLockAnalyzer.analyze(layerFile("/src/app/Cargo.lock", cargoLock));
    assert.deepEqual(
      result?.packages?.map((p) => p.purl),
      ["pkg:cargo/cfg-if@1.0.0", "pkg:cargo/fixture-app@0.3.0", "pkg:cargo/fixture-util@0.1.2", "pkg:cargo/itoa@1.0.1", "pkg:cargo/smallvec@1.9.0"],
    );
    const itoa = result?.packages?.find((p) => p.name === "itoa");
    assert.deepEqual(itoa, { name: "itoa", version: "1.0.1", type: "cargo", purl: "pkg:cargo/itoa@1.0.1", licenses: [], paths: ["/src/app/Cargo.lock"] });
  });

  it("claims Cargo.lock files outside cargo's download caches", () => {
    const info = { size: 100, mode: 0o644 };
    assert.equal(cargoLockAnalyzer.wants("/src/app/Cargo.lock", info), true);
    assert.equal(cargoLockAnalyzer.wants("/home/builder/.cargo/registry/src/index.crates.io-6f17d22bba15001f/itoa-1.0.1/Cargo.lock", info), false);
    assert.equal(cargoLockAnalyzer.wants("/src/app/Cargo.toml", info), false);
  });

  it("malformed TOML: line and column", () => {
    rejectsWith(() => parseCargoLock(cargoLock.replace('name = "itoa"', 'name = "itoa'), "/src/Cargo.lock"), /line \d+, column \d+: invalid TOML/);
  });

  it("a [[package]] without a version: its index", () => {
    rejectsWith(() => parseCargoLock(cargoLock.replace('version = "0.3.0"\n', ""), "/src/Cargo.lock"), /package\[1\]: expected "name" and "version" strings/);
  });
});
