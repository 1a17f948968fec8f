/**
 * Rust crates from Cargo.lock (TOML, read with smol-toml): every [[package]].
 *
 * Judgement call: packages without `source` are the workspace's own path
 * crates. They are reported too, because a binary built from the workspace
 * contains them and an advisory can name a crate published under the same
 * name; the purl cannot tell them apart from crates.io crates. Lockfiles
 * inside cargo's download caches (~/.cargo/registry, ~/.cargo/git) belong to
 * crates' sources, not to what the image runs, and are not claimed.
 */
import { InputError } from "../../common/index.js";
import type { Package } from "../model.js";
import { lockfileAnalyzer, tomlPackageTables } from "./lockfile.js";
import { purl } from "../purl.js";

export function cargoPackage(name: string, version: string, path: string): Package {
  return { name, version, type: "cargo", purl: purl("cargo", undefined, name, version), licenses: [], paths: [path] };
}

/** Cargo.lock → one package per name@version (the same crate from two sources is one package). */
export function parseCargoLock(text: string, path: string): Package[] {
  const list = tomlPackageTables(text, path);
  const byKey = new Map<string, Package>();
  list.forEach((entry: unknown, i) => {
    const { name, version } = (entry ?? {}) as { name?: unknown; version?: unknown };
    if (typeof name !== "string" || typeof version !== "string" || !name || !version) {
      throw new InputError(path, `package[${i}]`, 'expected "name" and "version" strings');
    }
    const key = `${name}@${version}`;
    if (!byKey.has(key)) byKey.set(key, cargoPackage(name, version, path));
  });
  return [...byKey.values()];
}

const CARGO_CACHE = /\/\.cargo\/(registry|git)\//;

export const cargoLockAnalyzer = lockfileAnalyzer("cargo-lock", 1, (path) =>
  path.endsWith("/Cargo.lock") && !CARGO_CACHE.test(path) ? parseCargoLock : undefined,
);
