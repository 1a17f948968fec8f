/**
 * The real test images and their oracles, built and cached by
 * scripts/test-fixtures.sh (see docs/testing.md). Tests read paths from here,
 * never from the cache directory directly.
 */
import { access, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

const BUILD_HINT = "run `bash scripts/test-fixtures.sh` (or `npm test`, which runs it first)";

/** Every image fixture has an image name, a docker-archive and the dpkg oracle read inside it. */
const image = z.object({
  /** podman image name, e.g. localhost/portcullis-test/node:latest */
  image: z.string(),
  /** `podman save --format docker-archive` of the image */
  dockerArchive: z.string(),
  /** `dpkg-query -W` rows: package, version, source, source version, architecture */
  dpkgTsv: z.string(),
});

const schema = z.object({
  format: z.literal(1),
  cacheDir: z.string(),
  /** debootstrap --variant=minbase bookworm, imported as one layer */
  bookworm: image.extend({
    /** the debootstrapped directory itself */
    rootfs: z.string(),
    ociArchive: z.string(),
    /** OCI image layout, gzip layers; the image is tagged `ociRef` */
    ociLayout: z.string(),
    /** the same image with zstd layers */
    ociLayoutZstd: z.string(),
    ociRef: z.string(),
  }),
  /** bookworm + /app with node_modules from the npm registry */
  node: image.extend({
    /** the app as npm left it: package.json, package-lock.json (v3), node_modules */
    appDir: z.string(),
    /** `npm ls --all --json` of the app */
    npmLs: z.string(),
    /** every package.json at a package position: in-image path, name, version */
    nodeModulesTsv: z.string(),
  }),
  /** bookworm + Debian's skopeo, a copy no package owns, and a module-mode Go binary */
  go: image.extend({
    /** `go version -m` of the copy at toolPath */
    versionM: z.string(),
    toolPath: z.string(),
    /** the same binary where dpkg owns it: not to be reported again as Go modules */
    dpkgOwnedPath: z.string(),
    moduleToolPath: z.string(),
    /** `go version -m` of moduleToolPath (lists a golang.org/x/net dependency) */
    moduleToolVersionM: z.string(),
  }),
  /** bookworm + Python dists and a Maven jar that no dpkg database claims */
  pyjava: image.extend({
    /** name, version, in-image path of METADATA / PKG-INFO */
    pythonTsv: z.string(),
    /** groupId, artifactId, version, in-image jar path */
    mavenTsv: z.string(),
    sitePackages: z.string(),
    jarDir: z.string(),
  }),
  /** node + layers that delete: .wh. files and opaque directories */
  whiteout: image.extend({
    /** node_modules as the final filesystem has it (same columns as node's) */
    nodeModulesTsv: z.string(),
    /** whiteout entries in the saved layers: layer index, layer file, path */
    whiteoutsTsv: z.string(),
    /** the dpkg package purged in an upper layer */
    purgedPackage: z.string(),
  }),
  /**
   * bookworm + secrets generated fresh by each build: AWS keys in /app/config/.env,
   * a PEM key at /app/keys/deploy_key, a GitHub token in /app/old/token.txt (deleted
   * by a later layer), a Stripe key in the config's Env and a GitLab token in a
   * RUN's history (build args are recorded in created_by).
   */
  secrets: image.extend({
    /** one row per planted secret: where (file, deleted-file, env, history), in-image path or `-`, rule id, full value (for the PEM key: the first 40 characters of its base64 body) */
    plantedTsv: z.string(),
  }),
  /** ~2 GB benchmark image, only built with PORTCULLIS_BENCH_LARGE=1 */
  large: image.nullable(),
});

export type Fixtures = z.infer<typeof schema>;

/** One row of a dpkg oracle (`*.dpkg.tsv`). */
export interface DpkgRow {
  name: string;
  version: string;
  sourceName: string;
  sourceVersion: string;
  architecture: string;
}

/** Where scripts/test-fixtures.sh caches everything (same rule as the script). */
export function cacheDir(): string {
  const explicit = process.env.PORTCULLIS_TEST_CACHE;
  if (explicit) return explicit;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "portcullis-test");
}

let loaded: Promise<Fixtures> | undefined;

/** The fixtures of the last successful build; throws how to build them when missing. */
export function fixtures(): Promise<Fixtures> {
  loaded ??= loadFixtures(cacheDir());
  return loaded;
}

/** Reads and checks `<dir>/fixtures.json` (uncached; tests use fixtures()). */
export async function loadFixtures(dir: string): Promise<Fixtures> {
  const file = join(dir, "fixtures.json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new Error(`test images are not built (${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}): ${BUILD_HINT}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message}); rebuild: ${BUILD_HINT}`, { cause: err });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join(".") || "(root)"}: ${issue?.message}; rebuild: ${BUILD_HINT}`);
  }
  const missing = await missingFiles(parsed.data);
  if (missing.length > 0) {
    throw new Error(`${file} lists files that are gone (${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", …" : ""}): ${BUILD_HINT}`);
  }
  return parsed.data;
}

// Every value naming a file in the cache must still exist.
async function missingFiles(fx: Fixtures): Promise<string[]> {
  const paths: string[] = [];
  for (const entry of Object.values(fx)) {
    if (entry === null || typeof entry !== "object") continue;
    for (const [key, value] of Object.entries(entry)) {
      if (key !== "image" && typeof value === "string" && value.startsWith(fx.cacheDir)) paths.push(value);
    }
  }
  const gone = await Promise.all(paths.map((p) => access(p).then(() => null, () => p)));
  return gone.filter((p): p is string => p !== null);
}

/** Rows of a tab-separated oracle, without the trailing empty line. */
export async function readTsv(file: string): Promise<string[][]> {
  const text = await readFile(file, "utf8");
  return text.split("\n").filter((line) => line !== "").map((line) => line.split("\t"));
}

/** The rows of a `*.dpkg.tsv` oracle. */
export async function readDpkgTsv(file: string): Promise<DpkgRow[]> {
  return (await readTsv(file)).map((cols, i) => {
    const [name, version, sourceName, sourceVersion, architecture] = cols;
    if (architecture === undefined) throw new Error(`${file} line ${i + 1}: expected 5 tab-separated columns`);
    return { name: name!, version: version!, sourceName: sourceName!, sourceVersion: sourceVersion!, architecture };
  });
}
