/**
 * Foreign SBOMs made at test time by real producers, so the readers are
 * tested on what other tools write rather than on what we think they write.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as CDX from "@cyclonedx/cyclonedx-library";
import { PackageURL } from "packageurl-js";

export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** `npm sbom` of this repository's package-lock.json: CycloneDX 1.5 or SPDX 2.3. */
export function npmSbom(format: "cyclonedx" | "spdx"): string {
  return execFileSync("npm", ["sbom", "--package-lock-only", "--sbom-format", format], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["ignore", "pipe", "ignore"],
  });
}

export interface LockEntry {
  name: string;
  version: string;
  license?: string;
  dev: boolean;
}

/** Every installed package of the lockfile (what `npm sbom` describes), read independently of the SBOM. */
export function lockEntries(): LockEntry[] {
  const lock = JSON.parse(readFileSync(new URL("package-lock.json", `file://${REPO_ROOT}`), "utf8")) as {
    packages: Record<string, { name?: string; version: string; license?: string; dev?: boolean; link?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([path, p]) => path.includes("node_modules/") && !p.link)
    .map(([path, p]) => ({
      name: p.name ?? path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length),
      version: p.version,
      ...(p.license ? { license: p.license } : {}),
      dev: p.dev === true,
    }));
}

/**
 * A CycloneDX 1.4 BOM written by the CycloneDX JavaScript library: a
 * container with an Alpine OS component, an application jar holding nested
 * jars (three levels), a component of an ecosystem we do not inventory
 * (generic, twice) and a file component without a purl.
 */
export function cycloneDx14Nested(): string {
  const { Models, Enums, Spec, Serialize } = CDX;
  const lib = (name: string, version: string, purl: PackageURL, license: InstanceType<typeof Models.SpdxLicense> | InstanceType<typeof Models.LicenseExpression>) =>
    new Models.Component(Enums.ComponentType.Library, name, {
      version,
      purl: purl.toString(),
      licenses: new Models.LicenseRepository([license]),
    });
  const bom = new Models.Bom();
  bom.metadata.component = new Models.Component(Enums.ComponentType.Container, "registry.example/shop:2.0", {
    version: "sha256:05b3abf2579a5eb66403cd78be557fd860633a1fe2103c7642030defe32c657f",
  });
  bom.components.add(new Models.Component(Enums.ComponentType.OperatingSystem, "alpine", { version: "3.20.3", description: "Alpine Linux v3.20" }));
  bom.components.add(
    lib("musl", "1.2.5-r0", new PackageURL("apk", "alpine", "musl", "1.2.5-r0", { arch: "x86_64", distro: "alpine-3.20.3" }, undefined), new Models.SpdxLicense("MIT")),
  );
  const app = lib("shop", "2.0.0", new PackageURL("maven", "com.example", "shop", "2.0.0", undefined, undefined), new Models.LicenseExpression("Apache-2.0 OR MIT"));
  const spring = lib("spring-core", "6.1.4", new PackageURL("maven", "org.springframework", "spring-core", "6.1.4", undefined, undefined), new Models.SpdxLicense("Apache-2.0"));
  spring.components.add(
    lib("spring-jcl", "6.1.4", new PackageURL("maven", "org.springframework", "spring-jcl", "6.1.4", undefined, undefined), new Models.SpdxLicense("Apache-2.0")),
  );
  app.components.add(spring);
  app.components.add(new Models.Component(Enums.ComponentType.File, "application.properties"));
  bom.components.add(app);
  bom.components.add(new Models.Component(Enums.ComponentType.Library, "zlib", { version: "1.3.1", purl: new PackageURL("generic", undefined, "zlib", "1.3.1", undefined, undefined).toString() }));
  bom.components.add(new Models.Component(Enums.ComponentType.Library, "openssl", { version: "3.3.2", purl: new PackageURL("generic", undefined, "openssl", "3.3.2", undefined, undefined).toString() }));
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot4));
  return serializer.serialize(bom, { sortLists: false, space: 2 });
}
