/**
 * The Dockerfile parser, stated as BuildKit's Dockerfile frontend behaves:
 * first against small real Dockerfiles (testdata/), then rule by rule with
 * one-line cases, then every error with its line, then the limits.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { InputError } from "../../common/index.js";
import {
  MAX_DOCKERFILE_LENGTH,
  MAX_EXPANDED_TOTAL,
  MAX_HEREDOCS,
  MAX_INSTRUCTIONS,
  MAX_LINE_LENGTH,
  MAX_STAGES,
  MAX_VARIABLES,
  expandRun,
  flag,
  parseDockerfile,
  type Dockerfile,
  type Instruction,
  type ParseOptions,
} from "./parse.js";
import { isLatest } from "./reference.js";

const fixture = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");
const parse = (text: string, options?: ParseOptions): Dockerfile => parseDockerfile(text, "Dockerfile", options);

/** [keyword, startLine, endLine] of every instruction. */
const spans = (df: Dockerfile): [string, number, number][] => df.instructions.map((i) => [i.keyword, i.startLine, i.endLine]);

/** The one instruction of that keyword (the last if several). */
function only(df: Dockerfile, keyword: string): Instruction {
  const found = df.instructions.filter((i) => i.keyword === keyword);
  assert.ok(found.length > 0, `an instruction ${keyword}`);
  return found[found.length - 1]!;
}

/** Asserts that parsing fails with an InputError naming the file, the location and the detail. */
function refuses(text: string, location: string | undefined, detail: string | RegExp, options?: ParseOptions): void {
  assert.throws(
    () => parse(text, options),
    (err: unknown) => {
      assert.ok(err instanceof InputError, `InputError, got ${String(err)}`);
      assert.equal(err.source, "Dockerfile");
      assert.equal(err.location, location);
      if (typeof detail === "string") assert.equal(err.detail, detail);
      else assert.match(err.detail, detail);
      return true;
    },
  );
}

describe("a multi-stage Go build (testdata/go-multistage.Dockerfile)", () => {
  const df = parse(fixture("go-multistage.Dockerfile"));
  const [build, test, runtime] = df.stages;

  it("reads the syntax directive and the global ARGs, each with its line", () => {
    assert.deepEqual(df.directives, [{ name: "syntax", value: "docker/dockerfile:1", line: 1 }]);
    assert.equal(df.escape, "\\");
    assert.deepEqual(
      df.args.map((a) => [a.key, a.value, a.line]),
      [
        ["GO_VERSION", "1.22", 3],
        ["ALPINE_VERSION", "3.20", 4],
        ["RUNTIME", "gcr.io/distroless/static-debian12:nonroot@sha256:6ec5aa99dc335666e79dc64e4a6c8b89c33a543a1967f20d360922a80dd21f02", 5],
      ],
    );
  });

  it("places every instruction on its lines, continuation lines included", () => {
    assert.deepEqual(spans(df), [
      ["ARG", 3, 3],
      ["ARG", 4, 4],
      ["ARG", 5, 5],
      ["FROM", 7, 7],
      ["ARG", 8, 8],
      ["ARG", 9, 9],
      ["WORKDIR", 10, 10],
      ["ENV", 11, 12],
      ["COPY", 13, 13],
      ["RUN", 14, 16],
      ["COPY", 17, 17],
      ["RUN", 18, 19],
      ["FROM", 21, 21],
      ["RUN", 22, 22],
      ["FROM", 24, 24],
      ["COPY", 25, 25],
      ["USER", 26, 26],
      ["EXPOSE", 27, 27],
      ["ENTRYPOINT", 28, 28],
    ]);
  });

  it("has three stages, the last one final", () => {
    assert.equal(df.stages.length, 3);
    assert.deepEqual(
      df.stages.map((s) => [s.index, s.name]),
      [
        [0, "build"],
        [1, "test"],
        [2, undefined],
      ],
    );
    assert.equal(df.finalStage, 2);
  });

  it("substitutes the global ARGs in FROM and keeps $BUILDPLATFORM, which the builder fills in, as written", () => {
    assert.equal(build!.base, "golang:${GO_VERSION}-alpine${ALPINE_VERSION}");
    assert.equal(build!.baseExpanded, "golang:1.22-alpine3.20");
    assert.deepEqual(build!.from.expanded, ["golang:1.22-alpine3.20", "AS", "build"]);
    assert.equal(build!.platform, "$BUILDPLATFORM");
    assert.equal(build!.platformExpanded, "$BUILDPLATFORM");
    assert.deepEqual(build!.image, { text: "golang:1.22-alpine3.20", registry: "docker.io", explicitRegistry: false, repository: "library/golang", tag: "1.22-alpine3.20" });
  });

  it("gives `ARG GO_VERSION` inside the stage the global value, and leaves the platform ARGs unknown", () => {
    assert.deepEqual(build!.instructions[0]!.pairs, [
      { key: "TARGETOS", value: undefined, written: undefined, line: 8 },
      { key: "TARGETARCH", value: undefined, written: undefined, line: 8 },
    ]);
    assert.deepEqual(build!.instructions[1]!.pairs, [{ key: "GO_VERSION", value: "1.22", written: undefined, line: 9 }]);
  });

  it("reads each ENV pair on its own line of the continuation", () => {
    const env = only(df, "ENV");
    assert.deepEqual(env.pairs, [
      { key: "CGO_ENABLED", value: "0", written: "0", line: 11 },
      { key: "GOFLAGS", value: "-trimpath", written: "-trimpath", line: 12 },
      { key: "GOCACHE", value: "/var/cache/go-build", written: "/var/cache/go-build", line: 12 },
    ]);
  });

  it("collects every --mount of a RUN and joins its continuation lines", () => {
    const run = build!.instructions.find((i) => i.keyword === "RUN")!;
    assert.deepEqual(run.flags, { mount: ["type=cache,target=/go/pkg/mod", "type=cache,target=/var/cache/go-build"] });
    assert.equal(run.form, "shell");
    assert.deepEqual(run.args, ["go mod download"]);
  });

  it("leaves a RUN unsubstituted, as Docker does, and substitutes it on request with the stage's ARGs and ENV", () => {
    const run = build!.instructions[build!.instructions.length - 1]!;
    assert.deepEqual(run.args, ['GOOS=$TARGETOS GOARCH=$TARGETARCH go build -ldflags="-s -w -X main.goVersion=${GO_VERSION}" -o /out/server ./cmd/server']);
    assert.equal(run.expanded, undefined);
    assert.equal(expandRun(df, run), 'GOOS=$TARGETOS GOARCH=$TARGETARCH go build -ldflags="-s -w -X main.goVersion=1.22" -o /out/server ./cmd/server');
  });

  it("resolves `FROM build` to the earlier stage, whose ENV the new stage inherits", () => {
    assert.equal(test!.baseStage, 0);
    assert.equal(test!.image, undefined);
    assert.deepEqual([...test!.env], [
      ["CGO_ENABLED", "0"],
      ["GOFLAGS", "-trimpath"],
      ["GOCACHE", "/var/cache/go-build"],
    ]);
    assert.equal(expandRun(df, test!.instructions[0]!), "go test ./...");
  });

  it("reads the final stage's pinned image from a global ARG, and its COPY --from, USER, EXPOSE and ENTRYPOINT", () => {
    assert.equal(runtime!.baseStage, undefined);
    assert.equal(runtime!.image?.registry, "gcr.io");
    assert.equal(runtime!.image?.repository, "distroless/static-debian12");
    assert.equal(runtime!.image?.tag, "nonroot");
    assert.equal(runtime!.image?.digest, "sha256:6ec5aa99dc335666e79dc64e4a6c8b89c33a543a1967f20d360922a80dd21f02");
    assert.equal(isLatest(runtime!.image!), false);
    assert.deepEqual([...runtime!.env], []);
    const copy = runtime!.instructions[0]!;
    assert.deepEqual(copy.flags, { from: ["build"], chown: ["65532:65532"] });
    assert.equal(flag(copy, "from"), "build");
    assert.deepEqual(only(df, "USER").user, { user: "nonroot", group: "nonroot" });
    assert.deepEqual(only(df, "EXPOSE").ports, [{ text: "8080", start: 8080, end: 8080, protocol: "tcp" }]);
    const entrypoint = only(df, "ENTRYPOINT");
    assert.equal(entrypoint.form, "exec");
    assert.deepEqual(entrypoint.args, ["/server"]);
  });
});

describe("a Python image built with heredocs (testdata/python-heredoc.Dockerfile)", () => {
  const df = parse(fixture("python-heredoc.Dockerfile"));
  const runs = df.instructions.filter((i) => i.keyword === "RUN");

  it("places each instruction after the heredoc bodies on its own line", () => {
    assert.deepEqual(spans(df), [
      ["FROM", 2, 2],
      ["ENV", 3, 5],
      ["WORKDIR", 6, 6],
      ["RUN", 7, 12],
      ["COPY", 13, 13],
      ["RUN", 14, 14],
      ["RUN", 15, 18],
      ["COPY", 19, 23],
      ["RUN", 24, 28],
      ["RUN", 29, 29],
      ["USER", 30, 30],
      ["EXPOSE", 31, 31],
      ["HEALTHCHECK", 32, 33],
      ["CMD", 34, 34],
    ]);
  });

  it("keeps a RUN <<EOF script as the heredoc's body, with the body's lines", () => {
    const run = runs[0]!;
    assert.deepEqual(run.args, ["<<EOF"]);
    assert.deepEqual(run.heredocs, [
      {
        name: "EOF",
        expand: true,
        chomp: false,
        content: "set -eux\napt-get update\napt-get install -y --no-install-recommends curl\nrm -rf /var/lib/apt/lists/*\n",
        startLine: 8,
        endLine: 12,
      },
    ]);
    assert.equal(run.raw.split("\n").length, 6);
  });

  it("marks a quoted delimiter (<<'PY') as not expanded, and expandRun leaves that body alone", () => {
    const run = runs[2]!;
    assert.deepEqual(run.args, ["python3 <<'PY' > /app/version.txt"]);
    assert.equal(run.heredocs[0]!.name, "PY");
    assert.equal(run.heredocs[0]!.expand, false);
    assert.equal(expandRun(df, run), "python3 <<'PY' > /app/version.txt\nimport sys\nprint(sys.version, \"$HOME\")\nPY");
  });

  it("strips leading tabs of a COPY <<-EOF body and substitutes ENV in it, keeping what the base image may set", () => {
    const copy = df.instructions.find((i) => i.keyword === "COPY" && i.heredocs.length > 0)!;
    assert.deepEqual(copy.args, ["<<-EOF", "/app/settings.ini"]);
    assert.deepEqual(copy.expanded, ["<<-EOF", "/app/settings.ini"]);
    const [h] = copy.heredocs;
    assert.equal(h!.chomp, true);
    assert.equal(h!.content, "[app]\nenv = ${APP_ENV}\nhome = ${HOME:-/home/app}\n");
    // HOME may come from python:3.12-slim's own ENV, which the parser cannot know.
    assert.equal(h!.expanded, "[app]\nenv = production\nhome = ${HOME:-/home/app}\n");
    assert.deepEqual([h!.startLine, h!.endLine], [20, 23]);
  });

  it("reads two heredocs opened on one line one after the other", () => {
    const run = runs[3]!;
    assert.deepEqual(
      run.heredocs.map((h) => [h.name, h.expand, h.chomp, h.content, h.startLine, h.endLine]),
      [
        ["FIRST", true, false, "first=$APP_ENV\n", 25, 26],
        ["SECOND", false, true, "second=$APP_ENV\n", 27, 28],
      ],
    );
    assert.equal(
      expandRun(df, run),
      'cat <<FIRST > /etc/first.conf && cat <<-"SECOND" > /etc/second.conf\nfirst=production\nFIRST\nsecond=$APP_ENV\nSECOND',
    );
  });

  it("reads HEALTHCHECK options as durations and its shell-form command", () => {
    const hc = only(df, "HEALTHCHECK");
    assert.deepEqual(hc.flags, { interval: ["30s"], timeout: ["5s"], "start-period": ["1m30s"], retries: ["3"] });
    assert.deepEqual(hc.args, ["CMD", "curl -fsS http://localhost:8000/health || exit 1"]);
    assert.deepEqual(hc.healthcheck, {
      kind: "cmd",
      form: "shell",
      command: ["curl -fsS http://localhost:8000/health || exit 1"],
      intervalMs: 30_000,
      timeoutMs: 5_000,
      startPeriodMs: 90_000,
      retries: 3,
    });
  });

  it("reads CMD in exec form and USER without a group", () => {
    assert.deepEqual(only(df, "CMD").args, ["python", "-m", "app"]);
    assert.equal(only(df, "CMD").form, "exec");
    assert.deepEqual(only(df, "USER").user, { user: "app" });
  });
});

describe("a Windows image with `# escape=\\`` (testdata/windows.Dockerfile)", () => {
  const df = parse(fixture("windows.Dockerfile"));

  it("reads the escape directive: backtick continues lines and backslash is an ordinary character", () => {
    assert.equal(df.escape, "`");
    assert.deepEqual(df.directives, [{ name: "escape", value: "`", line: 1 }]);
    assert.deepEqual(spans(df), [
      ["FROM", 3, 3],
      ["SHELL", 4, 4],
      ["ENV", 5, 6],
      ["WORKDIR", 7, 7],
      ["COPY", 8, 8],
      ["RUN", 9, 10],
      ["HEALTHCHECK", 11, 11],
      ["USER", 12, 12],
      ["CMD", 13, 13],
    ]);
  });

  it("keeps backslashes in ENV values and substitutes them into WORKDIR and COPY", () => {
    assert.deepEqual(
      only(df, "ENV").pairs!.map((p) => [p.key, p.value, p.line]),
      [
        ["APP_HOME", "C:\\app", 5],
        ["LOG_DIR", "C:\\logs", 6],
      ],
    );
    assert.deepEqual(only(df, "WORKDIR").expanded, ["C:\\app"]);
    assert.deepEqual(only(df, "COPY").args, ["app\\", "${APP_HOME}\\"]);
    assert.deepEqual(only(df, "COPY").expanded, ["app\\", "C:\\app\\"]);
  });

  it("reads SHELL and CMD as JSON arrays, JSON escapes decoded", () => {
    assert.deepEqual(only(df, "SHELL").args, ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]);
    assert.deepEqual(only(df, "CMD").args, ["C:\\app\\server.exe", "--log-dir", "C:\\logs"]);
  });

  it("joins a RUN continued with a backtick", () => {
    assert.deepEqual(only(df, "RUN").args, ["New-Item -ItemType Directory -Path $env:LOG_DIR ;     Write-Host 'ready'"]);
  });

  it("reads the image of a registry with a path, and HEALTHCHECK with minutes", () => {
    assert.equal(df.stages[0]!.image?.registry, "mcr.microsoft.com");
    assert.equal(df.stages[0]!.image?.repository, "windows/servercore");
    assert.deepEqual(only(df, "HEALTHCHECK").healthcheck, {
      kind: "cmd",
      form: "shell",
      command: ['powershell -Command "try { exit 0 } catch { exit 1 }"'],
      intervalMs: 60_000,
      timeoutMs: 10_000,
    });
  });
});

describe("an odd but valid Dockerfile (testdata/odd-but-valid.Dockerfile)", () => {
  const df = parse(fixture("odd-but-valid.Dockerfile"));

  it("treats `# escape=` after an ordinary comment as a comment", () => {
    assert.deepEqual(df.directives, []);
    assert.equal(df.escape, "\\");
  });

  it("reads keywords in any case, and lower-cases the stage name", () => {
    assert.deepEqual(
      df.instructions.map((i) => i.keyword),
      ["FROM", "LABEL", "ENV", "RUN", "ONBUILD", "EXPOSE", "STOPSIGNAL", "VOLUME", "VOLUME", "CMD"],
    );
    assert.equal(df.stages[0]!.name, "base");
    assert.deepEqual(df.stages[0]!.from.args, ["alpine:3.20", "as", "Base"]);
  });

  it("reads LABEL pairs with double and single quotes, each on its line", () => {
    assert.deepEqual(only(df, "LABEL").pairs, [
      { key: "org.opencontainers.image.title", value: "Demo app", written: '"Demo app"', line: 5 },
      { key: "com.example.multi word", value: "single quoted", written: "'single quoted'", line: 6 },
      { key: "version", value: "1.0", written: "1.0", line: 6 },
    ]);
  });

  it("reads the legacy `ENV name value` form, the value being the rest of the line", () => {
    const env = only(df, "ENV");
    assert.deepEqual(env.args, ["LEGACY_NAME", "some value with  spaces"]);
    assert.deepEqual(env.pairs, [{ key: "LEGACY_NAME", value: "some value with  spaces", written: "some value with  spaces", line: 7 }]);
  });

  it("skips a comment line and an empty line inside a continuation without ending it", () => {
    const run = only(df, "RUN");
    assert.deepEqual([run.startLine, run.endLine], [8, 12]);
    assert.equal(run.joined, "Run apk add --no-cache       curl       jq");
    assert.deepEqual(run.args, ["apk add --no-cache       curl       jq"]);
  });

  it("reads ONBUILD's trigger as an instruction, unsubstituted", () => {
    const onbuild = only(df, "ONBUILD");
    assert.deepEqual(onbuild.args, ["COPY . /app/src"]);
    assert.equal(onbuild.trigger?.keyword, "COPY");
    assert.deepEqual(onbuild.trigger?.args, [".", "/app/src"]);
    assert.equal(onbuild.trigger?.expanded, undefined);
  });

  it("reads EXPOSE ports with protocols and ranges", () => {
    assert.deepEqual(only(df, "EXPOSE").ports, [
      { text: "80", start: 80, end: 80, protocol: "tcp" },
      { text: "443/tcp", start: 443, end: 443, protocol: "tcp" },
      { text: "53/udp", start: 53, end: 53, protocol: "udp" },
      { text: "7000-7010", start: 7000, end: 7010, protocol: "tcp" },
    ]);
  });

  it("reads VOLUME in exec and shell form, substituting a pattern in the shell form", () => {
    const [json, shell] = df.instructions.filter((i) => i.keyword === "VOLUME");
    assert.deepEqual([json!.form, json!.args], ["exec", ["/data", "/logs"]]);
    assert.deepEqual([shell!.form, shell!.args], ["shell", ["/cache", "/srv/${LEGACY_NAME%%?value*}"]]);
    assert.deepEqual(shell!.expanded, ["/cache", "/srv/some"]);
  });

  it("falls back to the shell form when the JSON array is not valid JSON", () => {
    const cmd = only(df, "CMD");
    assert.equal(cmd.form, "shell");
    assert.deepEqual(cmd.args, ["[\"echo\", 'not json']"]);
  });

  it("reads STOPSIGNAL", () => {
    assert.deepEqual(only(df, "STOPSIGNAL").expanded, ["SIGTERM"]);
  });
});

describe("parser directives", () => {
  it("reads directives in any case and with blanks around the =", () => {
    const df = parse("#  SYNTAX = docker/dockerfile:1.7-labs\n#Escape=`\nFROM a\n");
    assert.deepEqual(df.directives, [
      { name: "syntax", value: "docker/dockerfile:1.7-labs", line: 1 },
      { name: "escape", value: "`", line: 2 },
    ]);
    assert.equal(df.escape, "`");
  });

  it("stops reading directives at an empty line, an ordinary comment, an unknown directive or an instruction", () => {
    for (const text of ["# syntax=x\n\n# escape=`\nFROM a\n", "# hello\n# escape=`\nFROM a\n", "# foo=bar\n# escape=`\nFROM a\n", "FROM a\n# escape=`\nRUN x\n"]) {
      assert.equal(parse(text).escape, "\\", text);
    }
  });

  it("reads a file with a byte order mark and CRLF line ends", () => {
    const df = parse("\uFEFF# escape=`\r\nFROM a\r\nRUN echo `\r\n  b\r\n");
    assert.equal(df.escape, "`");
    assert.deepEqual(spans(df), [
      ["FROM", 2, 2],
      ["RUN", 3, 4],
    ]);
    assert.deepEqual(only(df, "RUN").args, ["echo   b"]);
  });
});

describe("line continuations", () => {
  it("ends a continuation still open at the end of the file there, as Docker does", () => {
    const df = parse("FROM a\nRUN echo hi \\");
    assert.deepEqual(only(df, "RUN").args, ["echo hi"]);
    assert.deepEqual(spans(df)[1], ["RUN", 2, 2]);
    assert.deepEqual(spans(parse("FROM a\nRUN echo \\\n# only a comment after\n"))[1], ["RUN", 2, 4]);
  });

  it("allows blanks after the escape character, and a doubled escape character still continues", () => {
    assert.deepEqual(only(parse("FROM a\nRUN echo a \\  \n b\n"), "RUN").args, ["echo a  b"]);
    assert.deepEqual(only(parse("FROM a\nRUN echo a\\\\\n b\n"), "RUN").args, ["echo a\\ b"]);
  });

  it("skips indented comment lines inside a continuation", () => {
    const run = only(parse("FROM a\nRUN set -e; \\\n    # step one\n    make \\\n\t# step two\n    make install\n"), "RUN");
    assert.deepEqual(run.args, ["set -e;     make     make install"]);
    assert.deepEqual([run.startLine, run.endLine], [2, 6]);
  });

  it("does not continue a comment that ends with the escape character", () => {
    assert.deepEqual(spans(parse("FROM a\n# comment \\\nRUN x\n")), [
      ["FROM", 1, 1],
      ["RUN", 3, 3],
    ]);
  });

  it("reads heredoc bodies after the last continuation line", () => {
    const run = only(parse("FROM a\nRUN --network=none \\\n    <<EOF\necho hi\nEOF\nUSER x\n"), "RUN");
    assert.deepEqual([run.startLine, run.endLine], [2, 5]);
    assert.deepEqual([run.heredocs[0]!.startLine, run.heredocs[0]!.endLine], [4, 5]);
    assert.deepEqual(run.flags, { network: ["none"] });
  });
});

describe("heredocs", () => {
  const heredoc = (text: string): Instruction["heredocs"] => only(parse(`FROM a\n${text}`), text.split(" ")[0]!).heredocs;

  it("removes the quotes of a quoted delimiter and marks the body as not expanded", () => {
    for (const open of ['<<"EOF"', "<<'EOF'", '<<E"O"F']) {
      const [h] = heredoc(`RUN cat ${open}\n$HOME\nEOF\n`);
      assert.deepEqual([h!.name, h!.expand, h!.content], ["EOF", false, "$HOME\n"], open);
    }
    assert.equal(heredoc("RUN cat <<EOF\n$HOME\nEOF\n")[0]!.expand, true);
  });

  it("strips leading tabs from the body and the delimiter line of <<-, not spaces", () => {
    const [h] = heredoc("RUN <<-EOT\n\t\techo a\n  echo b\n\tEOT\n");
    assert.deepEqual([h!.chomp, h!.content, h!.endLine], [true, "echo a\n  echo b\n", 5]);
  });

  it("closes a heredoc only at a line that is exactly the delimiter", () => {
    const [h] = heredoc("RUN <<EOF\nEOF \n EOF\nEOF\n");
    assert.deepEqual([h!.content, h!.startLine, h!.endLine], ["EOF \n EOF\n", 3, 5]);
  });

  it("reads an empty body, starting on the delimiter's line", () => {
    assert.deepEqual(heredoc("COPY <<EMPTY /empty\nEMPTY\n"), [{ name: "EMPTY", expand: true, chomp: false, content: "", startLine: 3, endLine: 3, expanded: "" }]);
  });

  it("reads the file descriptor written before <<", () => {
    assert.equal(heredoc("RUN cat 3<<EOF\nx\nEOF\n")[0]!.fd, 3);
  });

  it("opens no heredoc inside quotes, glued to a word, in exec form or in instructions that take none", () => {
    assert.deepEqual(heredoc('RUN echo "<<EOF"\n'), []);
    assert.deepEqual(heredoc("RUN echo x<<EOF\n"), []);
    assert.deepEqual(heredoc('RUN ["<<EOF"]\n'), []);
    assert.deepEqual(heredoc("RUN cat <<<here-string\n"), []);
    refuses("FROM a\nUSER <<EOF\nEOF\n", "line 3", "unknown instruction: EOF");
  });

  it("reads several COPY heredocs into files of their names", () => {
    const copy = only(parse("FROM a\nCOPY <<robots.txt <<humans.txt /usr/share/nginx/html/\nUser-agent: *\nrobots.txt\nhello\nhumans.txt\n"), "COPY");
    assert.deepEqual(copy.args, ["<<robots.txt", "<<humans.txt", "/usr/share/nginx/html/"]);
    assert.deepEqual(
      copy.heredocs.map((h) => [h.name, h.content]),
      [
        ["robots.txt", "User-agent: *\n"],
        ["humans.txt", "hello\n"],
      ],
    );
  });

  it("substitutes a COPY heredoc body with backslash escapes and quotes left as text", () => {
    const copy = only(parse("FROM scratch\nENV NAME=world\nCOPY <<EOF /greeting\nhello '$NAME' \\$NAME $UNSET.\nEOF\n"), "COPY");
    assert.equal(copy.heredocs[0]!.expanded, "hello 'world' $NAME .\n");
  });

  it("gives an ONBUILD RUN its heredoc", () => {
    const onbuild = only(parse("FROM a\nONBUILD RUN <<EOF\nmake\nEOF\n"), "ONBUILD");
    assert.deepEqual([onbuild.startLine, onbuild.endLine], [2, 4]);
    assert.equal(onbuild.trigger?.heredocs[0]?.content, "make\n");
  });
});

describe("exec form and shell form", () => {
  it("reads a JSON array of strings as exec form, blanks inside the brackets allowed", () => {
    for (const keyword of ["RUN", "CMD", "ENTRYPOINT"]) {
      const i = only(parse(`FROM a\n${keyword} [ "sh", "-c",  "echo $HOME" ]\n`), keyword);
      assert.deepEqual([i.form, i.args], ["exec", ["sh", "-c", "echo $HOME"]], keyword);
    }
    assert.deepEqual(only(parse("FROM a\nCMD []\n"), "CMD").args, []);
  });

  it("falls back to the shell form for anything that is not a valid JSON array", () => {
    for (const text of ["[sh, -c]", "['sh']", '["sh",]', '["sh"] extra', "echo [not json]"]) {
      const cmd = only(parse(`FROM a\nCMD ${text}\n`), "CMD");
      assert.deepEqual([cmd.form, cmd.args], ["shell", [text]], text);
    }
  });

  it("splits shell-form COPY, ADD and VOLUME on blanks and reads their JSON form", () => {
    assert.deepEqual(only(parse("FROM a\nCOPY a.txt  b.txt /dst/\n"), "COPY").args, ["a.txt", "b.txt", "/dst/"]);
    assert.deepEqual(only(parse('FROM a\nADD ["my file.txt", "/dst/"]\n'), "ADD").args, ["my file.txt", "/dst/"]);
    assert.deepEqual(only(parse("FROM a\nVOLUME /a /b\n"), "VOLUME").args, ["/a", "/b"]);
  });

  it("reads HEALTHCHECK CMD in exec form and HEALTHCHECK NONE", () => {
    const exec = only(parse('FROM a\nHEALTHCHECK --start-interval=500ms CMD ["/bin/check", "--quick"]\n'), "HEALTHCHECK");
    assert.deepEqual(exec.healthcheck, { kind: "cmd", form: "exec", command: ["/bin/check", "--quick"], startIntervalMs: 500 });
    assert.deepEqual(only(parse("FROM a\nhealthcheck none\n"), "HEALTHCHECK").healthcheck, { kind: "none" });
  });
});

describe("flags", () => {
  it("reads boolean flags with and without a value", () => {
    assert.deepEqual(only(parse("FROM a\nCOPY --link a /b\n"), "COPY").flags, { link: ["true"] });
    assert.deepEqual(only(parse("FROM a\nCOPY --link=False --parents a /b\n"), "COPY").flags, { link: ["false"], parents: ["true"] });
  });

  it("removes quotes around a flag value and stops at the first argument or at --", () => {
    const run = only(parse('FROM a\nRUN --mount="type=secret,id=npmrc,target=/home/node/.npmrc" --network=host npm ci --omit=dev\n'), "RUN");
    assert.deepEqual(run.flags, { mount: ["type=secret,id=npmrc,target=/home/node/.npmrc"], network: ["host"] });
    assert.deepEqual(run.args, ["npm ci --omit=dev"]);
    const copy = only(parse("FROM a\nCOPY -- --weird-name /dst\n"), "COPY");
    assert.deepEqual([copy.flags, copy.args], [{}, ["--weird-name", "/dst"]]);
  });

  it("substitutes the stage's variables in --chown, --chmod, --from and --mount", () => {
    const df = parse("FROM scratch AS src\nFROM scratch\nARG UID=1000 STAGE=src\nENV MODE=0755\nCOPY --from=$STAGE --chown=${UID}:${UID} --chmod=$MODE a /b\nRUN --mount=type=cache,uid=$UID,target=/c true\n");
    const copy = only(df, "COPY");
    assert.deepEqual(copy.flags, { from: ["$STAGE"], chown: ["${UID}:${UID}"], chmod: ["$MODE"] });
    assert.deepEqual(copy.expandedFlags, { from: ["src"], chown: ["1000:1000"], chmod: ["0755"] });
    assert.equal(flag(copy, "chown"), "1000:1000");
    assert.deepEqual(only(df, "RUN").expandedFlags, { mount: ["type=cache,uid=1000,target=/c"] });
  });

  it("substitutes the global ARGs in FROM --platform", () => {
    const stage = parse("ARG PLATFORM=linux/arm64\nFROM --platform=${PLATFORM} alpine\n").stages[0]!;
    assert.deepEqual([stage.platform, stage.platformExpanded], ["${PLATFORM}", "linux/arm64"]);
  });
});

describe("variables and their scope", () => {
  it("makes ARGs before the first FROM usable in FROM lines only", () => {
    const df = parse("ARG VERSION=3.20\nFROM scratch\nWORKDIR /v$VERSION\nFROM alpine:${VERSION}\nWORKDIR /v$VERSION\n");
    assert.equal(df.stages[1]!.baseExpanded, "alpine:3.20");
    // In a stage built from scratch an unknown name is unset; on an image it may be the image's own ENV.
    assert.deepEqual(df.stages[0]!.instructions[0]!.expanded, ["/v"]);
    assert.deepEqual(df.stages[1]!.instructions[0]!.expanded, ["/v$VERSION"]);
  });

  it("makes a global ARG usable in a stage once it is declared there without a value", () => {
    const df = parse("ARG VERSION=3.20\nFROM scratch\nARG VERSION\nWORKDIR /v$VERSION\n");
    assert.deepEqual(only(df, "WORKDIR").expanded, ["/v3.20"]);
  });

  it("lets a global ARG's default use the ARGs before it", () => {
    const df = parse("ARG REGISTRY=ghcr.io ORG=acme\nARG IMAGE=${REGISTRY}/${ORG}/base:1\nFROM $IMAGE\n");
    assert.equal(df.stages[0]!.baseExpanded, "ghcr.io/acme/base:1");
    assert.equal(df.stages[0]!.image?.registry, "ghcr.io");
  });

  it("applies ENV and ARG to the later instructions of their stage only", () => {
    const df = parse("FROM scratch\nWORKDIR /$A\nENV A=1\nWORKDIR /$A\nFROM scratch\nWORKDIR /$A\n");
    assert.deepEqual(
      df.instructions.filter((i) => i.keyword === "WORKDIR").map((i) => i.expanded![0]),
      ["/", "/1", "/"],
    );
  });

  it("substitutes every pair of one ENV with the values from before it", () => {
    const df = parse("FROM scratch\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n");
    assert.deepEqual(
      [...df.stages[0]!.env],
      [
        ["abc", "bye"],
        ["def", "hello"],
        ["ghi", "bye"],
      ],
    );
  });

  it("lets ENV win over an ARG of the same name, whichever comes first", () => {
    const arg = parse("FROM scratch\nARG V=arg\nENV V=env\nWORKDIR /$V\n");
    const env = parse("FROM scratch\nENV V=env\nARG V=arg\nWORKDIR /$V\n");
    assert.deepEqual(only(arg, "WORKDIR").expanded, ["/env"]);
    assert.deepEqual(only(env, "WORKDIR").expanded, ["/env"]);
  });

  it("reads ENV defaults that depend on an ARG", () => {
    const df = parse("FROM scratch\nARG VERSION\nENV VERSION=${VERSION:-v1.0.0}\n");
    assert.equal(df.stages[0]!.env.get("VERSION"), "v1.0.0");
    assert.equal(parse("FROM scratch\nARG VERSION\nENV VERSION=${VERSION:-v1.0.0}\n", { buildArgs: { VERSION: "v2" } }).stages[0]!.env.get("VERSION"), "v2");
  });

  it("takes build arguments from the options over the defaults of declared ARGs only", () => {
    const df = parse("ARG TAG=3.19\nFROM alpine:$TAG\nARG MODE=dev\nWORKDIR /$MODE/$OTHER\n", { buildArgs: { TAG: "3.20", MODE: "prod", OTHER: "x" } });
    assert.equal(df.stages[0]!.baseExpanded, "alpine:3.20");
    assert.deepEqual(only(df, "WORKDIR").expanded, ["/prod/$OTHER"]);
  });

  it("keeps platform ARGs as written unless the options give them", () => {
    const text = "FROM --platform=$BUILDPLATFORM scratch\nARG TARGETARCH\nWORKDIR /out/$TARGETARCH\n";
    assert.deepEqual(only(parse(text), "WORKDIR").expanded, ["/out/$TARGETARCH"]);
    const given = parse(text, { buildArgs: { BUILDPLATFORM: "linux/amd64", TARGETARCH: "arm64" } });
    assert.deepEqual(only(given, "WORKDIR").expanded, ["/out/arm64"]);
    assert.equal(given.stages[0]!.platformExpanded, "linux/amd64");
  });

  it("keeps an escaped $ literal", () => {
    assert.deepEqual(only(parse("FROM scratch\nENV A=1\nLABEL price=\\$A\n"), "LABEL").pairs![0]!.value, "$A");
  });

  it("keeps ENV values that use the base image's variables as written", () => {
    assert.equal(parse("FROM golang:1.22\nENV PATH=/app/bin:$PATH\n").stages[0]!.env.get("PATH"), "/app/bin:$PATH");
    assert.equal(parse("FROM scratch\nENV PATH=/app/bin:$PATH\n").stages[0]!.env.get("PATH"), "/app/bin:");
  });

  it("splits EXPOSE into ports after substitution and substitutes USER", () => {
    const df = parse('FROM scratch\nENV PORTS="80 443/tcp" UID=10001\nEXPOSE $PORTS 9090\nUSER ${UID}:${UID}\n');
    assert.deepEqual(only(df, "EXPOSE").expanded, ["80", "443/tcp", "9090"]);
    assert.deepEqual(only(df, "USER").user, { user: "10001", group: "10001" });
  });

  it("resolves a stage named through a global ARG, and inherits through a chain of stages", () => {
    const df = parse("ARG BASE=deps\nFROM scratch AS deps\nENV A=1\nFROM ${BASE} AS build\nENV B=2\nFROM build\nWORKDIR /$A/$B\n");
    assert.deepEqual(
      df.stages.map((s) => s.baseStage),
      [undefined, 0, 1],
    );
    assert.deepEqual(only(df, "WORKDIR").expanded, ["/1/2"]);
  });

  it("names a stage only by AS: `FROM 0` is the image docker.io/library/0, not stage 0", () => {
    const df = parse("FROM scratch\nFROM 0\n");
    assert.equal(df.stages[1]!.baseStage, undefined);
    assert.equal(df.stages[1]!.image?.repository, "library/0");
  });

  it("links a base naming a later stage, as BuildKit does, without inheriting its ENV", () => {
    const df = parse("FROM scratch\nFROM later\nWORKDIR /$A\nFROM scratch AS later\nENV A=1\n");
    assert.equal(df.stages[1]!.baseStage, 2);
    assert.equal(df.stages[1]!.image, undefined);
    assert.deepEqual(only(df, "WORKDIR").expanded, ["/$A"]);
  });

  it("reads the image of every stage that names one, and whether it floats on latest", () => {
    const df = parse("FROM alpine\nFROM alpine:latest\nFROM alpine:3.20\nFROM scratch\n");
    assert.deepEqual(
      df.stages.map((s) => s.image && isLatest(s.image)),
      [true, true, false, undefined],
    );
    assert.equal(df.stages[3]!.scratch, true);
  });

  it("expands a CMD or a HEALTHCHECK command with ENV only, for ARGs do not exist when the container runs", () => {
    const df = parse('FROM scratch\nARG A=arg\nENV E=env\nCMD echo $A $E\nHEALTHCHECK CMD test "$E" = env\n');
    assert.equal(expandRun(df, only(df, "CMD")), "echo $A env");
    assert.equal(expandRun(df, only(df, "HEALTHCHECK")), 'test "env" = env');
  });

  it("returns exec form unchanged from expandRun, for no shell substitutes it", () => {
    const df = parse('FROM scratch\nENV E=env\nENTRYPOINT ["echo", "$E"]\nHEALTHCHECK CMD ["check", "$E"]\n');
    assert.equal(expandRun(df, only(df, "ENTRYPOINT")), "echo $E");
    assert.equal(expandRun(df, only(df, "HEALTHCHECK")), "check $E");
  });
});

describe("errors", () => {
  it("refuses an unterminated heredoc at the line that opens it", () => {
    refuses("FROM alpine\nRUN echo a\nRUN <<EOF\necho hi\n", "line 3", 'unterminated heredoc: no line "EOF" closes the heredoc <<EOF opened here');
  });

  it("refuses an instruction other than ARG before the first FROM", () => {
    refuses("# comment\nARG A=1\nRUN echo\nFROM a\n", "line 3", "RUN before the first FROM: only ARG may come before it");
  });

  it("refuses FROM without an image, with two arguments, or with a bad stage name", () => {
    refuses("FROM a\n\nFROM\n", "line 3", "FROM requires either one or three arguments");
    refuses("FROM a b\n", "line 1", "FROM requires either one or three arguments");
    refuses("FROM a AS 1st\n", "line 1", 'invalid name for build stage: "1st", name can\'t start with a number or contain symbols');
    refuses("FROM a AS scratch\n", "line 1", 'stage name "scratch" is reserved');
    refuses("ARG BASE\nFROM $BASE\n", "line 2", "base name ($BASE) should not be blank");
  });

  it("refuses stages built on themselves, directly or through others", () => {
    refuses("FROM scratch\nFROM app AS app\n", "line 2", "circular dependency detected on stage: app");
    refuses("FROM scratch\nFROM b AS a\nFROM a AS b\n", "line 2", "circular dependency detected on stage: a");
  });

  it("refuses an unknown instruction", () => {
    refuses("FROM a\nRUN ok\nCOPPY a b\n", "line 3", "unknown instruction: COPPY");
  });

  it("refuses a file with no instructions, or with no FROM", () => {
    refuses("# just a comment\n\n", undefined, "file with no instructions");
    refuses("", undefined, "file with no instructions");
    refuses("ARG A=1\n", undefined, "no build stage: the file has no FROM");
  });

  it("refuses bad parser directives", () => {
    refuses("# escape=/\nFROM a\n", "line 1", "invalid escape token '/' does not match ` or \\");
    refuses("# syntax=a\n# syntax=b\nFROM a\n", "line 2", "only one syntax parser directive can be used");
  });

  it("refuses JSON arrays of anything but strings, and SHELL not in JSON form", () => {
    refuses("FROM a\nCMD [\"sleep\", 10]\n", "line 2", "when using JSON array syntax, arrays must be comprised of strings only");
    refuses("FROM a\nSHELL /bin/bash -c\n", "line 2", "SHELL requires the arguments to be in JSON form");
  });

  it("refuses instructions with the wrong number of arguments", () => {
    refuses("FROM a\nCOPY onlyone\n", "line 2", "COPY requires at least two arguments, but only one was provided. Destination could not be determined");
    refuses("FROM a\nCOPY a <<EOF\nx\nEOF\n", "line 2", "COPY cannot accept a heredoc as a destination");
    refuses("FROM a\nUSER\n", "line 2", "USER requires exactly one argument");
    refuses("FROM a\nEXPOSE\n", "line 2", "EXPOSE requires at least one argument");
    refuses("FROM a\nVOLUME [\"\"]\n", "line 2", "VOLUME specified can not be an empty string");
    refuses("FROM a\nENV\n", "line 2", "ENV requires at least one argument");
    refuses("FROM a\nENV ALONE\n", "line 2", "ENV must have two arguments");
    refuses("FROM a\nLABEL a=b c\n", "line 2", 'Syntax error - can\'t find = in "c". Must be of the form: name=value');
    refuses("FROM a\nENV =x\n", "line 2", "ENV names can not be blank");
    refuses("FROM a\nARG =x\n", "line 2", "ARG names can not be blank");
  });

  it("refuses unknown, repeated and value-less flags", () => {
    refuses("FROM a\nCOPY --chmown=1 a b\n", "line 2", "unknown flag: chmown");
    refuses("FROM a\nENV --x=1 A=b\n", "line 2", "unknown flag: x");
    refuses("FROM a\nCOPY --from=a --from=b x y\n", "line 2", "duplicate flag specified: from");
    refuses("FROM a\nCOPY --from x y\n", "line 2", "missing a value on flag: from");
    refuses("FROM a\nCOPY --link=maybe x y\n", "line 2", "expecting boolean value for flag link, not: maybe");
  });

  it("refuses bad HEALTHCHECKs", () => {
    refuses("FROM a\nHEALTHCHECK --interval=5 CMD true\n", "line 2", '--interval: invalid duration "5"');
    refuses("FROM a\nHEALTHCHECK --timeout=10us CMD true\n", "line 2", 'Interval "timeout" cannot be less than 1ms');
    refuses("FROM a\nHEALTHCHECK --retries=-1 CMD true\n", "line 2", "--retries cannot be negative (-1)");
    refuses("FROM a\nHEALTHCHECK NONE true\n", "line 2", "HEALTHCHECK NONE takes no arguments");
    refuses("FROM a\nHEALTHCHECK CMD\n", "line 2", "Missing command after HEALTHCHECK CMD");
    refuses("FROM a\nHEALTHCHECK RUN true\n", "line 2", 'Unknown type "RUN" in HEALTHCHECK (try CMD)');
  });

  it("refuses bad ONBUILD triggers", () => {
    refuses("FROM a\nONBUILD ONBUILD RUN x\n", "line 2", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    refuses("FROM a\nONBUILD FROM b\n", "line 2", "FROM isn't allowed as an ONBUILD trigger");
  });

  it("refuses a bad substitution, naming the instruction", () => {
    refuses("FROM a\nWORKDIR /${}\n", "line 2", "WORKDIR: syntax error: bad substitution");
    refuses("FROM a\nLABEL a=\"unterminated\n", "line 2", "LABEL: unexpected end of statement while looking for matching double-quote");
    refuses("FROM scratch\nCOPY x /${DEST:?required}\n", "line 2", "COPY: DEST: required");
  });
});

describe("limits", () => {
  it(`refuses a file longer than ${MAX_DOCKERFILE_LENGTH} characters`, () => {
    refuses(`FROM a\n${"#".repeat(MAX_DOCKERFILE_LENGTH)}`, undefined, `larger than ${MAX_DOCKERFILE_LENGTH} characters`);
  });

  it(`refuses a line longer than ${MAX_LINE_LENGTH} characters, in a heredoc body too`, () => {
    refuses(`FROM a\nRUN echo ${"x".repeat(MAX_LINE_LENGTH)}\n`, "line 2", `line longer than ${MAX_LINE_LENGTH} characters`);
    refuses(`FROM a\nRUN <<EOF\nok\n${"x".repeat(MAX_LINE_LENGTH + 1)}\nEOF\n`, "line 4", `line longer than ${MAX_LINE_LENGTH} characters`);
  });

  it(`refuses more than ${MAX_INSTRUCTIONS} instructions`, () => {
    refuses(`FROM a\n${"RUN x\n".repeat(MAX_INSTRUCTIONS)}`, `line ${MAX_INSTRUCTIONS + 1}`, `more than ${MAX_INSTRUCTIONS} instructions`);
  });

  it(`refuses more than ${MAX_HEREDOCS} heredocs`, () => {
    refuses(`FROM a\nRUN cat${" <<A".repeat(MAX_HEREDOCS + 1)}\n${"A\n".repeat(MAX_HEREDOCS + 1)}`, "line 2", `more than ${MAX_HEREDOCS} heredocs`);
  });

  it(`refuses more than ${MAX_STAGES} stages`, () => {
    refuses("FROM scratch\n".repeat(MAX_STAGES + 1), `line ${MAX_STAGES + 1}`, `more than ${MAX_STAGES} build stages`);
  });

  it(`refuses more than ${MAX_VARIABLES} variables in one stage`, () => {
    const pairs = Array.from({ length: MAX_VARIABLES + 1 }, (_, i) => `V${i}=1`).join(" ");
    refuses(`FROM scratch\nENV ${pairs}\n`, "line 2", `more than ${MAX_VARIABLES} variables in one stage`);
  });

  it("refuses a substitution that grows too long, and too much substitution in total", () => {
    refuses(`FROM scratch\nENV A=${"x".repeat(60_000)}\nENV B=${"$A".repeat(20)}\n`, "line 3", "ENV: substitution result longer than 1048576 characters");
    const text = `FROM scratch\nENV A=${"x".repeat(60_000)}\nENV B=${"$A".repeat(16)}\n${"LABEL b=$B\n".repeat(20)}`;
    assert.throws(() => parse(text), (err: unknown) => err instanceof InputError && /^line \d+$/.test(err.location ?? "") && err.detail === `variable substitution produced more than ${MAX_EXPANDED_TOTAL} characters in total`);
  });

  it("refuses substitutions nested too deep", () => {
    refuses(`FROM scratch\nENV A=${"${U:-".repeat(40)}x${"}".repeat(40)}\n`, "line 2", "ENV: substitutions nested more than 32 deep");
  });

  it("reads a deeply nested JSON array written over many lines as the shell form, quickly", () => {
    const started = Date.now();
    const df = parse(`FROM a\nCMD ${"[\\\n".repeat(100_000)}\n`);
    assert.equal(only(df, "CMD").form, "shell");
    assert.ok(Date.now() - started < 5_000);
  });
});
