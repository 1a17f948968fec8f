/**
 * PCS-DF-014: debuggers, network tools, editors and compilers installed in
 * the stages that ship. They help whoever gets a shell in the container
 * more than they help the application. curl and wget are left alone: health
 * checks and entrypoints often need one, and their risk is the
 * vulnerabilities an image scan reports, not their presence.
 */
import { dockerfileRule, type Hit } from "./rule.js";
import { runCommands } from "./shell.js";
import { installsOf } from "./packages.js";
import { at, shippedInstructions } from "./stages.js";

/** Package names (Debian, Alpine, Red Hat, SUSE spellings) and what they are. */
const TOOLS: ReadonlyMap<string, string> = new Map([
  ...["gdb", "gdbserver", "strace", "ltrace", "valgrind", "bpftrace", "linux-perf", "perf"].map((n) => [n, "debugger/tracer"] as const),
  ...["tcpdump", "tshark", "wireshark", "nmap", "nmap-ncat", "ncat", "nc", "netcat", "netcat-openbsd", "netcat-traditional", "socat", "telnet"].map((n) => [n, "network tool"] as const),
  ...["vim", "vim-tiny", "vim-minimal", "vim-enhanced", "emacs", "emacs-nox"].map((n) => [n, "editor"] as const),
  ...["build-essential", "gcc", "g++", "gcc-c++", "clang", "build-base"].map((n) => [n, "compiler"] as const),
  ...["openssh-server"].map((n) => [n, "SSH server"] as const),
]);

/** The tool a package name installs: `gdb`, `gdb=12.1-2` (name already cut), `gdb-12.1-1.el9` (rpm). */
function toolOf(pkg: string): string | undefined {
  if (TOOLS.has(pkg)) return pkg;
  const rpm = /^(.+?)-\d[\w.:~+-]*$/.exec(pkg);
  return rpm && TOOLS.has(rpm[1]!) ? rpm[1] : undefined;
}

export const debugToolsShipped = dockerfileRule({
  id: "PCS-DF-014",
  title: "Debugging or attack tools installed in the final image",
  severity: "medium",
  why: "Debuggers, packet capture, port scanners, netcat, editors and compilers in a production image make post-exploitation easy (reading memory, moving laterally, building payloads) and add packages to patch.",
  remediation: "Install build tools in a builder stage and COPY only the artifacts into the final stage; debug running containers with an ephemeral debug container (`kubectl debug`, `docker debug`) instead of shipping the tools.",
  references: ["https://docs.docker.com/build/building/best-practices/#dont-install-unnecessary-packages", "https://docs.docker.com/build/building/multi-stage/"],
  mappings: { cisDocker: ["4.3"] },
  check(dockerfile) {
    const hits: Hit[] = [];
    for (const run of shippedInstructions(dockerfile, "RUN")) {
      for (const install of installsOf(runCommands(run))) {
        if (install.manager === "pip") continue;
        const found = [...new Set(install.packages.map(toolOf).filter((t): t is string => t !== undefined))];
        if (found.length === 0) continue;
        hits.push({
          evidence: `${install.command.name} installs ${found.map((t) => `${t} (${TOOLS.get(t)})`).join(", ")} in a stage that ships`,
          location: install.command.line === run.startLine ? at(run) : { line: install.command.line, endLine: install.command.line },
          fix: { description: `remove ${found.join(", ")} from this install; build in an earlier stage and COPY --from it, debug with an ephemeral container` },
        });
      }
    }
    return hits;
  },
});
