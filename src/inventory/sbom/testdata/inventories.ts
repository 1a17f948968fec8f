/**
 * Inventories of the shape the analyzers produce, for the SBOM tests. The
 * package facts are real: the Debian packages as `dpkg-query -W` and
 * /usr/share/doc/<pkg>/copyright report them on Debian 12; the npm ones as
 * this repository's package-lock.json records them (including its license
 * expressions); the others from their registries' metadata. Digests are
 * sha256 of short labels, standing in for layer blobs.
 */
import type { Inventory, Package, PackageType } from "../../model.js";
import { purl } from "../../purl.js";

const BASE = "sha256:45a67ba6525eb9ed2bf2b7f8111bdc3563f5d476d8972edaefbe27480775bb56";
const DEPS = "sha256:6f4299c56f54e51f97b8440f8e1cf5e58b3e429e58e1973e4c7bb35152131966";
const CODE = "sha256:f79005060c0d8f0665d15e836f283b256d2063901fd0766f8408fc05386bdaba";

function deb(name: string, version: string, arch: string, source: string | [string, string] | undefined, licenses: string[]): Package {
  const pkg: Package = {
    name,
    version,
    type: "deb",
    purl: purl("deb", "debian", name, version, { arch, distro: "debian-12" }),
    licenses,
    arch,
    layer: BASE,
    paths: ["/var/lib/dpkg/status"],
  };
  if (source) pkg.source = typeof source === "string" ? { name: source } : { name: source[0], version: source[1] };
  return pkg;
}

function lang(type: PackageType, name: string, version: string, licenses: string[], path: string, layer = DEPS): Package {
  const [namespace, bare] =
    type === "maven" ? (name.split(":") as [string, string])
    : name.includes("/") ? [name.slice(0, name.lastIndexOf("/")), name.slice(name.lastIndexOf("/") + 1)]
    : [undefined, name];
  return { name, version, type, purl: purl(type, namespace, bare, version), licenses, layer, paths: [path] };
}

/** A Debian 12 image with an application of several ecosystems on top. */
export function debianAppInventory(): Inventory {
  const devUtils = lang("npm", "@eslint-community/eslint-utils", "4.10.1", ["MIT"], "/app/node_modules/@eslint-community/eslint-utils/package.json");
  devUtils.dev = true;
  return {
    schemaVersion: 1,
    target: {
      reference: "docker-archive:app.tar",
      transport: "docker-archive",
      digest: "sha256:05b3abf2579a5eb66403cd78be557fd860633a1fe2103c7642030defe32c657f",
      indexDigest: "sha256:9a1e5b7c3d0f2e4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a",
      imageId: "sha256:b79606fb3afea5bd1609ed40b622142f1c98125abcfe89a76a661b0e8e343910",
      names: ["registry.example/app:1.4.2"],
      platform: "linux/amd64",
      layers: [
        { digest: BASE, createdBy: "# debian.sh --arch 'amd64' out/ 'bookworm' '@1736726400'" },
        { digest: DEPS, createdBy: "RUN npm ci --omit=dev" },
        { digest: CODE, createdBy: "COPY . /app" },
      ],
    },
    os: { family: "debian", version: "12", codename: "bookworm", prettyName: "Debian GNU/Linux 12 (bookworm)", release: "12.11" },
    packages: [
      deb("bash", "5.2.15-2+b8", "amd64", ["bash", "5.2.15-2"], ["GPL-3+", "BSD-4-clause-UC", "GFDL-NIV-1.3", "BSD-4-clause-UC and MIT-like"]),
      deb("libc6", "2.36-9+deb12u14", "amd64", "glibc", []),
      deb("libssl3", "3.0.22-1~deb12u2", "amd64", "openssl", ["Apache-2.0", "Artistic or GPL-1+"]),
      deb("tzdata", "2025b-0+deb12u2", "all", undefined, ["public-domain"]),
      deb("zlib1g", "1:1.2.13.dfsg-1", "amd64", "zlib", ["Zlib"]),
      lang("npm", "expand-template", "2.0.3", ["(MIT OR WTFPL)"], "/app/node_modules/expand-template/package.json"),
      lang("npm", "rc", "1.2.8", ["(BSD-2-Clause OR MIT OR Apache-2.0)"], "/app/node_modules/rc/package.json"),
      lang("npm", "minimatch", "11.0.9", ["BlueOak-1.0.0"], "/app/node_modules/minimatch/package.json"),
      // The same package twice, at two paths: one purl, two components.
      lang("npm", "ms", "2.1.3", ["MIT"], "/app/node_modules/ms/package.json"),
      lang("npm", "ms", "2.1.3", ["MIT"], "/app/node_modules/debug/node_modules/ms/package.json"),
      devUtils,
      lang("pypi", "PyYAML", "6.0.1", ["MIT"], "/usr/lib/python3/dist-packages/PyYAML-6.0.1.dist-info/METADATA", BASE),
      lang("pypi", "requests", "2.31.0", ["Apache-2.0"], "/usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA"),
      lang("maven", "org.apache.commons:commons-lang3", "3.14.0", ["Apache-2.0"], "/app/lib/commons-lang3-3.14.0.jar", CODE),
      lang("maven", "org.slf4j:slf4j-api", "2.0.12", ["MIT"], "/app/lib/slf4j-api-2.0.12.jar", CODE),
      lang("golang", "github.com/spf13/cobra", "v1.8.0", ["Apache-2.0"], "/usr/local/bin/appctl", CODE),
      lang("gem", "rake", "13.1.0", ["MIT"], "/usr/lib/ruby/gems/3.1.0/specifications/rake-13.1.0.gemspec"),
      lang("cargo", "serde", "1.0.197", ["MIT OR Apache-2.0"], "/usr/local/bin/appctl", CODE),
      lang("npm", "spdx-exceptions", "2.5.0", ["CC-BY-3.0", "LicenseRef-scancode-public-domain"], "/app/node_modules/spdx-exceptions/package.json"),
    ],
    warnings: [],
  };
}

/** An Alpine image: apk packages whose purls carry the distro. */
export function alpineInventory(): Inventory {
  const apk = (name: string, version: string, origin: string, licenses: string[]): Package => ({
    name,
    version,
    type: "apk",
    purl: purl("apk", "alpine", name, version, { arch: "x86_64", distro: "alpine-3.20.3" }),
    source: { name: origin },
    licenses,
    arch: "x86_64",
    layer: BASE,
    paths: ["/lib/apk/db/installed"],
  });
  return {
    schemaVersion: 1,
    target: { reference: "oci-archive:alpine.tar", transport: "oci-archive", layers: [{ digest: BASE }] },
    os: { family: "alpine", version: "3.20.3" },
    packages: [
      apk("musl", "1.2.5-r0", "musl", ["MIT"]),
      apk("busybox", "1.36.1-r29", "busybox", ["GPL-2.0-only"]),
      apk("ssl_client", "1.36.1-r29", "busybox", ["GPL-2.0-only"]),
      apk("zlib", "1.3.1-r1", "zlib", ["Zlib"]),
    ],
    warnings: [],
  };
}
