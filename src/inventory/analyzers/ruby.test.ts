import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { gemfileLockAnalyzer, gemspecAnalyzer, parseGemfileLock, parseGemspec, rubyStrings } from "./ruby.js";
import { memoryFile as layerFile, throwsInputError as rejectsWith } from "../../../test/support/layer-file.js";

const testdata = fileURLToPath(new URL("./testdata/ruby/", import.meta.url));
const fixture = (name: string): string => readFileSync(join(testdata, name), "utf8");

const SPECS = "/usr/local/bundle/specifications";

describe("installed gem specifications", () => {
  it("claims specifications/*.gemspec, default gems included, and no other gemspec", () => {
    const info = { size: 100, mode: 0o644 };
    for (const path of [`${SPECS}/rake-13.0.6.gemspec`, "/usr/lib/ruby/gems/3.1.0/specifications/default/pathname-0.2.0.gemspec"]) {
      assert.equal(gemspecAnalyzer.wants(path, info), true, path);
    }
    for (const path of ["/app/myapp.gemspec", "/usr/local/bundle/gems/rake-13.0.6/rake.gemspec", `${SPECS}/rake-13.0.6.gemspec.bak`]) {
      assert.equal(gemspecAnalyzer.wants(path, info), false, path);
    }
  });

  it("reads name, version and licenses of a specification rubygems wrote", async () => {
    const path = `${SPECS}/portcullis-fixture-0.4.1.gemspec`;
    const result = await gemspecAnalyzer.analyze(layerFile(path, fixture("specifications/portcullis-fixture-0.4.1.gemspec")));
    assert.deepEqual(result?.packages, [
      { name: "portcullis-fixture", version: "0.4.1", type: "gem", purl: "pkg:gem/portcullis-fixture@0.4.1", licenses: ["MIT", "Apache-2.0"], paths: [path] },
    ]);
  });

  it("a platform gem keeps its platform as a purl qualifier; prerelease versions stay whole", () => {
    const pkg = parseGemspec(fixture("specifications/portcullis-native-2.0.0.pre.1-x86_64-linux.gemspec"), "/s/x.gemspec");
    assert.equal(pkg.version, "2.0.0.pre.1");
    assert.equal(pkg.purl, "pkg:gem/portcullis-native@2.0.0.pre.1?platform=x86_64-linux");
    assert.deepEqual(pkg.licenses, ["BSD-3-Clause"]);
  });

  it("a Debian-packaged gem (ruby-webrick)", () => {
    const pkg = parseGemspec(fixture("specifications/webrick-1.8.1.gemspec"), "/s/x.gemspec");
    assert.equal(pkg.purl, "pkg:gem/webrick@1.8.1");
    assert.deepEqual(pkg.licenses, ["Ruby", "BSD-2-Clause"]);
  });

  it("reads the string literals rubygems writes", () => {
    assert.deepEqual(rubyStrings('"rake".freeze'), ["rake"]);
    assert.deepEqual(rubyStrings('["MIT".freeze, "Ruby".freeze]'), ["MIT", "Ruby"]);
    assert.deepEqual(rubyStrings("%q<rdoc>.freeze, ["), ["rdoc"]);
    assert.deepEqual(rubyStrings('"caf\\u00E9 \\"q\\"" if s.respond_to? :x'), ['café "q"']);
    assert.deepEqual(rubyStrings("'it\\'s'"), ["it's"]);
    assert.deepEqual(rubyStrings("nil"), []);
  });

  it("a file without the specification block or without a version is an InputError", () => {
    rejectsWith(() => parseGemspec(fixture("Gemfile.lock"), "/s/x.gemspec"), "/s/x.gemspec", /expected a "Gem::Specification.new do \|s\|" block/);
    const text = fixture("specifications/webrick-1.8.1.gemspec").replace('  s.version = "1.8.1"\n', "");
    rejectsWith(() => parseGemspec(text, "/s/x.gemspec"), "/s/x.gemspec", /no string assigned to "version"/);
  });
});

describe("Gemfile.lock", () => {
  it("locked gems of the GEM and GIT sections, platform suffix as qualifier, PATH gems skipped", () => {
    const packages = parseGemfileLock(fixture("Gemfile.lock"), "/app/Gemfile.lock");
    assert.deepEqual(
      packages.map((p) => p.purl),
      [
        "pkg:gem/gitgem@0.0.7",
        "pkg:gem/minitest@5.15.0",
        "pkg:gem/portcullis-fixture@0.4.1",
        "pkg:gem/portcullis-native@2.0.0.pre.1?platform=x86_64-linux",
        "pkg:gem/rake@13.0.6",
        "pkg:gem/rbs@2.1.0",
        "pkg:gem/typeprof@0.21.2",
      ],
    );
    assert.ok(packages.every((p) => p.type === "gem" && p.paths[0] === "/app/Gemfile.lock"));
  });

  it("claims Gemfile.lock files of applications, not those shipped inside installed gems", () => {
    const info = { size: 100, mode: 0o644 };
    assert.equal(gemfileLockAnalyzer.wants("/app/Gemfile.lock", info), true);
    assert.equal(gemfileLockAnalyzer.wants("/app/gems.locked", info), true);
    assert.equal(gemfileLockAnalyzer.wants("/usr/local/bundle/gems/rake-13.0.6/Gemfile.lock", info), false);
    assert.equal(gemfileLockAnalyzer.wants("/app/Gemfile", info), false);
  });

  it("a malformed spec line is an InputError with its line", () => {
    const text = fixture("Gemfile.lock").replace("    rake (13.0.6)", "    rake 13.0.6");
    rejectsWith(() => parseGemfileLock(text, "/app/Gemfile.lock"), "/app/Gemfile.lock", /line 19: expected "name \(version\)", got "rake 13.0.6"/);
  });
});
