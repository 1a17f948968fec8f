/**
 * Java archives, read from real jars shipped by Debian and from wars, ears
 * and fat jars built here with the JDK's own `jar` tool.
 *
 * Needs: apt-get install -y openjdk-17-jdk-headless libcommons-lang3-java
 * libslf4j-java libguice-java libaopalliance-java
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createReadStream, existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { InputError } from "../../common/index.js";
import type { LayerFile } from "../analyzer.js";
import type { Package } from "../model.js";
import { createJavaAnalyzer, javaAnalyzer } from "./java.js";
import { manifestLicenses, nameFromFileName, parseJavaArchive, parseManifest, parsePomProperties } from "./java-archive.js";

const JAVA = "/usr/share/java";
const LANG3 = `${JAVA}/commons-lang3.jar`;
const SLF4J = `${JAVA}/slf4j-api.jar`;
const SLF4J_SIMPLE = `${JAVA}/slf4j-simple.jar`;
const GUICE_JMX = `${JAVA}/guice-jmx.jar`;
const AOPALLIANCE = `${JAVA}/aopalliance-1.0.jar`;

function need(path: string, aptPackage: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: apt-get install -y ${aptPackage}`);
}

/** Upstream version of an installed Debian package: "3.12.0-2+deb12u1" → "3.12.0". */
function debianUpstream(pkg: string): string {
  const v = execFileSync("dpkg-query", ["-W", "-f=${Version}", pkg], { encoding: "utf8" });
  return v.replace(/^\d+:/, "").replace(/-[^-]*$/, "");
}

function summary(packages: Package[]): string[] {
  return packages.map((p) => `${p.paths.join(",")} ${p.name}@${p.version}`);
}

let work: string;

/** Run the JDK's jar tool in `cwd`. */
function jar(cwd: string, ...args: string[]): void {
  execFileSync("jar", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** Lay out `files` (archive path → source file or text) in a fresh dir and jar it up as `out`. */
async function buildArchive(out: string, files: Record<string, string | { text: string }>, opts: string[] = []): Promise<string> {
  const dir = await mkdtemp(join(work, "tree-"));
  for (const [name, src] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    if (typeof src === "string") await copyFile(src, join(dir, name));
    else await writeFile(join(dir, name), src.text);
  }
  jar(work, "--create", "--file", out, ...opts, "-C", dir, ".");
  return out;
}

function layerFileOf(path: string, inImage: string, size: number): LayerFile {
  return {
    path: inImage,
    layer: "sha256:0000000000000000000000000000000000000000000000000000000000000000",
    size,
    mode: 0o644,
    bytes: () => readFile(path),
    chunks: () => createReadStream(path),
  };
}

before(async () => {
  for (const [path, pkg] of [
    [LANG3, "libcommons-lang3-java"],
    [SLF4J, "libslf4j-java"],
    [SLF4J_SIMPLE, "libslf4j-java"],
    [GUICE_JMX, "libguice-java"],
    [AOPALLIANCE, "libaopalliance-java"],
  ] as const) {
    need(path, pkg);
  }
  execFileSync("jar", ["--version"], { stdio: "ignore" });
  execFileSync("javac", ["-version"], { stdio: "ignore" });
  work = await mkdtemp(join(tmpdir(), "portcullis-java-"));
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("parseJavaArchive on Debian's jars", () => {
  it("reads groupId, artifactId and version from pom.properties", async () => {
    const { packages, warnings } = await parseJavaArchive(await readFile(LANG3), "/usr/share/java/commons-lang3.jar");
    assert.deepEqual(warnings, []);
    const version = debianUpstream("libcommons-lang3-java");
    assert.deepEqual(packages, [
      {
        name: "org.apache.commons:commons-lang3",
        version,
        type: "maven",
        purl: `pkg:maven/org.apache.commons/commons-lang3@${version}`,
        licenses: [],
        paths: ["/usr/share/java/commons-lang3.jar"],
      },
    ]);
  });

  it("falls back to the manifest's Bundle-SymbolicName, Bundle-Version and Bundle-License without pom.properties", async () => {
    const { packages } = await parseJavaArchive(await readFile(GUICE_JMX), "/opt/guice-jmx.jar");
    const version = debianUpstream("libguice-java");
    assert.deepEqual(packages, [
      {
        // No Implementation-Vendor-Id: the artifact id stands in for the group.
        name: "com.google.inject.tools.jmx:com.google.inject.tools.jmx",
        version,
        type: "maven",
        purl: `pkg:maven/com.google.inject.tools.jmx/com.google.inject.tools.jmx@${version}`,
        licenses: ["http://www.apache.org/licenses/LICENSE-2.0.txt"],
        paths: ["/opt/guice-jmx.jar"],
      },
    ]);
  });

  it("falls back to the file name when the manifest names nothing", async () => {
    const { packages } = await parseJavaArchive(await readFile(AOPALLIANCE), "/usr/share/java/aopalliance-1.0.jar");
    assert.deepEqual(summary(packages), ["/usr/share/java/aopalliance-1.0.jar aopalliance:aopalliance@1.0"]);
    // The same bytes under a name without a version give no package: nothing says which version it is.
    const unnamed = await parseJavaArchive(await readFile(AOPALLIANCE), "/usr/share/java/aopalliance.jar");
    assert.deepEqual(unnamed.packages, []);
  });
});

describe("parseJavaArchive on nested archives built with jar", () => {
  let war: string;
  let ear: string;

  before(async () => {
    const classes = await mkdtemp(join(work, "classes-"));
    await writeFile(join(classes, "Hello.java"), 'public class Hello { public static void main(String[] a) { System.out.println("hi"); } }\n');
    execFileSync("javac", ["-d", classes, join(classes, "Hello.java")]);
    war = await buildArchive(join(work, "shop.war"), {
      "WEB-INF/classes/Hello.class": join(classes, "Hello.class"),
      "WEB-INF/lib/commons-lang3-3.12.0.jar": LANG3,
      "WEB-INF/lib/slf4j-api.jar": SLF4J,
      "WEB-INF/lib/guice-jmx.jar": GUICE_JMX,
      // What Maven's war plugin writes for the war's own coordinates.
      "META-INF/maven/com.example/shop/pom.properties": { text: "#Created by Apache Maven 3.8.7\ngroupId=com.example\nartifactId=shop\nversion=2.4.1\n" },
    });
    ear = await buildArchive(join(work, "app.ear"), { "shop.war": war, "lib/slf4j-simple.jar": SLF4J_SIMPLE });
  });

  it("finds the packages of a war and of every jar in WEB-INF/lib, each with its nested path", async () => {
    const { packages, warnings } = await parseJavaArchive(await readFile(war), "/srv/shop.war");
    assert.deepEqual(warnings, []);
    const lang3 = debianUpstream("libcommons-lang3-java");
    const slf4j = debianUpstream("libslf4j-java");
    const guice = debianUpstream("libguice-java");
    assert.deepEqual(summary(packages).sort(), [
      "/srv/shop.war com.example:shop@2.4.1",
      `/srv/shop.war!/WEB-INF/lib/commons-lang3-3.12.0.jar org.apache.commons:commons-lang3@${lang3}`,
      `/srv/shop.war!/WEB-INF/lib/guice-jmx.jar com.google.inject.tools.jmx:com.google.inject.tools.jmx@${guice}`,
      `/srv/shop.war!/WEB-INF/lib/slf4j-api.jar org.slf4j:slf4j-api@${slf4j}`,
    ]);
  });

  it("opens an ear's war and the war's jars: paths chain with !/", async () => {
    const { packages } = await parseJavaArchive(await readFile(ear), "/srv/app.ear");
    const slf4j = debianUpstream("libslf4j-java");
    assert.deepEqual(
      summary(packages).filter((s) => s.includes("slf4j")).sort(),
      [`/srv/app.ear!/lib/slf4j-simple.jar org.slf4j:slf4j-simple@${slf4j}`, `/srv/app.ear!/shop.war!/WEB-INF/lib/slf4j-api.jar org.slf4j:slf4j-api@${slf4j}`],
    );
    assert.equal(packages.length, 5);
  });

  it("reads a Spring Boot style fat jar whose BOOT-INF/lib jars are stored uncompressed", async () => {
    const fat = await buildArchive(join(work, "boot.jar"), { "BOOT-INF/lib/slf4j-api-1.7.32.jar": SLF4J, "BOOT-INF/lib/commons-lang3.jar": LANG3 }, ["--no-compress"]);
    const { packages } = await parseJavaArchive(await readFile(fat), "/app/boot.jar");
    assert.deepEqual(
      packages.map((p) => p.paths[0]).sort(),
      ["/app/boot.jar!/BOOT-INF/lib/commons-lang3.jar", "/app/boot.jar!/BOOT-INF/lib/slf4j-api-1.7.32.jar"],
    );
  });

  it("stops opening at the depth limit and says which archives it left closed", async () => {
    const { packages, warnings } = await parseJavaArchive(await readFile(ear), "/srv/app.ear", { maxDepth: 1 });
    // Level 1 (the ear's war and lib jar) is read; level 2 (the war's jars) is not.
    assert.deepEqual(summary(packages).sort(), [
      `/srv/app.ear!/lib/slf4j-simple.jar org.slf4j:slf4j-simple@${debianUpstream("libslf4j-java")}`,
      "/srv/app.ear!/shop.war com.example:shop@2.4.1",
    ]);
    assert.equal(warnings.length, 3);
    assert.match(warnings[0]!, /^\/srv\/app\.ear!\/shop\.war!\/WEB-INF\/lib\/\S+\.jar: not opened: archives nested more than 1 deep$/);
  });

  it("refuses a file whose nested content exceeds the byte budget, naming the nested archive", async () => {
    const lang3Size = (await stat(LANG3)).size;
    await assert.rejects(
      parseJavaArchive(await readFile(ear), "/srv/app.ear", { maxTotalBytes: lang3Size }),
      (err: unknown) =>
        err instanceof InputError && /^\/srv\/app\.ear!\/shop\.war: reading it would take .* past the limit of \d+ \(zip bomb\?\)$/.test(err.message),
    );
  });

  it("refuses a highly compressed entry larger than an archive may be before inflating it", async () => {
    const zeros = join(work, "zeros.bin");
    await writeFile(zeros, Buffer.alloc(4 * 1024 * 1024));
    const bomb = await buildArchive(join(work, "bomb.war"), { "WEB-INF/lib/zeros.jar": zeros });
    assert.ok((await stat(bomb)).size < 64 * 1024, "4 MiB of zeros deflates to a few KB");
    await assert.rejects(
      parseJavaArchive(await readFile(bomb), "/srv/bomb.war", { maxArchiveBytes: 1024 * 1024 }),
      (err: unknown) => err instanceof InputError && err.message === "/srv/bomb.war!/WEB-INF/lib/zeros.jar: is 4194304 bytes uncompressed, more than the limit of 1048576",
    );
  });
});

describe("parseJavaArchive on corrupt input", () => {
  it("rejects a truncated jar with an InputError naming the file", async () => {
    const bytes = await readFile(LANG3);
    await assert.rejects(
      parseJavaArchive(bytes.subarray(0, bytes.length - 100), "/app/lib/commons-lang3.jar"),
      (err: unknown) => err instanceof InputError && err.message.startsWith("/app/lib/commons-lang3.jar: not a readable zip archive: "),
    );
  });

  it("skips a corrupt nested jar with a warning naming its nested path, and keeps the rest", async () => {
    const bytes = await readFile(SLF4J);
    const broken = join(work, "broken.jar");
    await writeFile(broken, bytes.subarray(0, bytes.length / 2));
    const war = await buildArchive(join(work, "mixed.war"), { "WEB-INF/lib/broken.jar": broken, "WEB-INF/lib/commons-lang3.jar": LANG3 });
    const { packages, warnings } = await parseJavaArchive(await readFile(war), "/srv/mixed.war");
    assert.deepEqual(summary(packages), [`/srv/mixed.war!/WEB-INF/lib/commons-lang3.jar org.apache.commons:commons-lang3@${debianUpstream("libcommons-lang3-java")}`]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^skipped: \/srv\/mixed\.war!\/WEB-INF\/lib\/broken\.jar: not a readable zip archive: /);
  });

  it("skips a pom.properties with an unfiltered version placeholder, with a warning", async () => {
    const jarFile = await buildArchive(join(work, "placeholder.jar"), {
      "META-INF/maven/com.example/lib/pom.properties": { text: "groupId=com.example\nartifactId=lib\nversion=${project.version}\n" },
    });
    const { packages, warnings } = await parseJavaArchive(await readFile(jarFile), "/app/lib.jar");
    assert.deepEqual(packages, []);
    assert.deepEqual(warnings, [
      '/app/lib.jar!/META-INF/maven/com.example/lib/pom.properties: skipped: groupId, artifactId and version should be set without spaces or placeholders, got "com.example:lib:${project.version}"',
    ]);
  });
});

describe("parseManifest", () => {
  it("joins the continuation lines jar writes for values longer than 72 bytes", async () => {
    const title = "org.example.a-rather-long-implementation-title-that-the-jar-tool-must-wrap-across-several-lines";
    const mf = join(work, "long.mf");
    await writeFile(mf, `Implementation-Title: ${title}\nImplementation-Version: 7.0.1\nImplementation-Vendor-Id: org.example\n`);
    const out = await buildArchive(join(work, "long.jar"), { "x.txt": { text: "x" } }, ["--manifest", mf]);
    const text = execFileSync("unzip", ["-p", out, "META-INF/MANIFEST.MF"], { encoding: "utf8" });
    assert.match(text, /\r?\n /, "the jar tool wrapped the long line");
    const headers = parseManifest(text, "long.jar!/META-INF/MANIFEST.MF");
    assert.equal(headers.get("implementation-title"), title);
    const { packages } = await parseJavaArchive(await readFile(out), "/x/long.jar");
    assert.deepEqual(summary(packages), [`/x/long.jar org.example:${title}@7.0.1`]);
  });

  it("reads only the main section and treats header names case-insensitively", () => {
    const headers = parseManifest("Manifest-Version: 1.0\r\nbundle-version: 2.0\r\n\r\nName: a/b/\r\nBundle-Version: 9\r\n", "m");
    assert.deepEqual([...headers], [["manifest-version", "1.0"], ["bundle-version", "2.0"]]);
  });

  it("names the line of a malformed header", () => {
    assert.throws(() => parseManifest("Manifest-Version: 1.0\nthis is not a header\n", "a.jar!/META-INF/MANIFEST.MF"), {
      message: 'a.jar!/META-INF/MANIFEST.MF line 2: expected "Name: value", got "this is not a header"',
    });
  });
});

describe("parsePomProperties", () => {
  it("reads keys and values as java.util.Properties does", async () => {
    const text = [
      "# comment",
      "! also a comment",
      "groupId = org.example",
      "artifactId:demo",
      "version 1.0.0",
      "   indented=yes",
      "multi=one\\",
      "    two",
      "esc\\=key=a\\tb\\u00e9",
      "empty",
      "",
    ].join("\n");
    const file = join(work, "p.properties");
    await writeFile(file, text);
    // Ask the JDK itself what it reads from the same text.
    const src = join(work, "Props.java");
    await writeFile(
      src,
      [
        "import java.io.*; import java.util.*;",
        "public class Props { public static void main(String[] a) throws Exception {",
        "  Properties p = new Properties(); p.load(new FileInputStream(a[0]));",
        "  for (String k : new TreeSet<>(p.stringPropertyNames())) {",
        "    StringBuilder s = new StringBuilder(); for (char c : (k + \"\\u0000\" + p.getProperty(k)).toCharArray()) s.append(String.format(\"%04x\", (int) c));",
        "    System.out.println(s); } } }",
      ].join("\n"),
    );
    execFileSync("javac", ["-d", work, src]);
    const decode = (hex: string) => String.fromCharCode(...hex.match(/.{4}/g)!.map((h) => parseInt(h, 16)));
    const expected = execFileSync("java", ["-cp", work, "Props", file], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map((l) => decode(l).split("\u0000") as [string, string]);
    const ours = [...parsePomProperties(text, "p")].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    assert.deepEqual(ours, expected);
    assert.equal(expected.length, 7);
  });
});

describe("manifestLicenses", () => {
  it("splits OSGi clauses and drops their parameters", () => {
    assert.deepEqual(manifestLicenses('Apache-2.0;link="https://www.apache.org/licenses/LICENSE-2.0.txt", MIT'), ["Apache-2.0", "MIT"]);
    assert.deepEqual(manifestLicenses("http://www.apache.org/licenses/LICENSE-2.0.txt"), ["http://www.apache.org/licenses/LICENSE-2.0.txt"]);
  });

  it("keeps prose whole rather than splitting it at commas", () => {
    assert.deepEqual(manifestLicenses("Apache License, Version 2.0"), ["Apache License, Version 2.0"]);
    assert.deepEqual(manifestLicenses(undefined), []);
  });
});

describe("nameFromFileName", () => {
  it("splits at the first dash followed by a digit", () => {
    assert.deepEqual(nameFromFileName("/a/commons-lang3-3.12.0.jar"), { artifact: "commons-lang3", version: "3.12.0" });
    assert.deepEqual(nameFromFileName("guava-31.1-jre.JAR"), { artifact: "guava", version: "31.1-jre" });
    assert.deepEqual(nameFromFileName("slf4j-api.jar"), { artifact: "slf4j-api" });
  });
});

describe("javaAnalyzer", () => {
  it("wants jar, war, ear, jpi and hpi files in any letter case, and nothing smaller than an empty zip", () => {
    for (const p of ["/a/x.jar", "/a/x.WAR", "/a/x.ear", "/var/jenkins/plugins/git.jpi", "/p/x.Hpi"]) {
      assert.equal(javaAnalyzer.wants(p, { size: 1000, mode: 0o644 }), true, p);
    }
    assert.equal(javaAnalyzer.wants("/a/x.jar.sha1", { size: 1000, mode: 0o644 }), false);
    assert.equal(javaAnalyzer.wants("/a/x.zip", { size: 1000, mode: 0o644 }), false);
    assert.equal(javaAnalyzer.wants("/a/x.jar", { size: 0, mode: 0o644 }), false);
  });

  it("analyses a layer file into packages", async () => {
    const size = (await stat(SLF4J)).size;
    const result = await javaAnalyzer.analyze(layerFileOf(SLF4J, "/opt/app/lib/slf4j-api.jar", size));
    assert.deepEqual(summary(result?.packages ?? []), [`/opt/app/lib/slf4j-api.jar org.slf4j:slf4j-api@${debianUpstream("libslf4j-java")}`]);
    assert.equal(result?.warnings, undefined);
  });

  it("refuses an archive over the size limit without reading it", async () => {
    const size = (await stat(LANG3)).size;
    const file = { ...layerFileOf(LANG3, "/big.jar", size), bytes: () => Promise.reject(new Error("must not be read")) };
    await assert.rejects(createJavaAnalyzer({ maxArchiveBytes: size - 1 }).analyze(file), {
      message: `/big.jar: archive is ${size} bytes, more than the limit of ${size - 1}`,
    });
  });
});
