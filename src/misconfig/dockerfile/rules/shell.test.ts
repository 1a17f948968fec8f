/**
 * Reading a RUN's shell text into simple commands: pipelines, lists,
 * quotes, comments, here-documents, wrappers such as sudo, and the scripts
 * nested in `sh -c` and command substitutions.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDockerfile } from "../parse.js";
import { commandsOf, runCommands, withNested } from "./shell.js";

/** "name[args] @line" per command, nested ones included, with `|` between commands of one pipeline. */
function shape(script: string): string {
  const commands = withNested(commandsOf(script, 1));
  return commands.map((c, i) => `${i > 0 && commands[i - 1]!.pipeline === c.pipeline ? "| " : ""}${c.sudo ? "sudo " : ""}${c.name}[${c.args.join(" ")}]@${c.line}`).join(" ");
}

describe("shell commands of a RUN", () => {
  it("splits lists and pipelines, skipping assignments and wrappers", () => {
    assert.equal(shape("apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y curl; curl -fsSL https://x | sudo -E bash -s"), "apt-get[update]@1 apt-get[install -y curl]@1 curl[-fsSL https://x]@1 | sudo bash[-s]@1");
  });

  it("removes quotes and reads neither quoted operators nor comments as commands", () => {
    assert.equal(shape(`echo "a | sudo b" 'c && d' # sudo e`), "echo[a | sudo b c && d]@1");
  });

  it("skips here-document bodies and drops redirections", () => {
    assert.equal(shape("cat <<EOF > /etc/x\nsudo rm -rf /\nEOF\ncurl -o /tmp/f https://x 2>&1 >/dev/null"), "cat[]@1 curl[-o /tmp/f https://x]@4");
  });

  it("continues a pipeline over a newline after |", () => {
    assert.equal(shape("curl https://x |\n  sh"), "curl[https://x]@1 | sh[]@2");
  });

  it("reads the scripts of sh -c, $(…) and <(…)", () => {
    assert.equal(shape(`bash <(curl -s https://x)`), "bash[<(curl -s https://x)]@1 curl[-s https://x]@1");
    assert.equal(shape(`sh -c 'apt-get update && sudo make install'`), "sh[-c apt-get update && sudo make install]@1 apt-get[update]@1 sudo make[install]@1");
  });

  it("reads heredoc bodies a shell runs, with their Dockerfile lines, and not those of other programs", () => {
    const d = parseDockerfile("FROM alpine:3.20\nRUN <<EOF\napk add gdb\nEOF\nRUN python3 <<EOF\nimport os\nEOF\n", "Dockerfile");
    const [shell, python] = d.stages[0]!.instructions;
    assert.deepEqual(runCommands(shell!).map((c) => `${c.name}@${c.line}`), ["apk@3"]);
    assert.deepEqual(runCommands(python!).map((c) => c.name), ["python3"]);
  });
});
