/**
 * The attack surface an image can ship to production: programs an intruder
 * uses once inside a container (a shell to run commands, a package manager
 * to install more, a compiler to build exploits, a debugger to read other
 * processes, network tools to fetch and exfiltrate). Each tool lists the
 * directories of its own data, so its bytes are more than its binary.
 * Looked up by name in the usual program directories of the final
 * filesystem, through symlinks (/bin is /usr/bin in merged-/usr images).
 */

export type ToolCategory = "shell" | "package-manager" | "compiler" | "debugger" | "network-tool";

export interface ToolSpec {
  category: ToolCategory;
  /** How reports name it. */
  tool: string;
  /** Program names, as found in PROGRAM_DIRS. */
  programs: readonly string[];
  /** Directories that belong to the tool alone: their files count towards its bytes. */
  data?: readonly string[];
}

export const PROGRAM_DIRS: readonly string[] = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/** In order of claim: a program that resolves to a file an earlier tool has (sh to bash) belongs to that tool. */
export const TOOLS: readonly ToolSpec[] = [
  { category: "shell", tool: "bash", programs: ["bash", "rbash"] },
  { category: "shell", tool: "dash", programs: ["dash"] },
  { category: "shell", tool: "busybox", programs: ["busybox"] },
  { category: "shell", tool: "zsh", programs: ["zsh"] },
  { category: "shell", tool: "ksh", programs: ["ksh", "ksh93", "mksh"] },
  { category: "shell", tool: "ash", programs: ["ash"] },
  { category: "shell", tool: "csh", programs: ["csh", "tcsh"] },
  { category: "shell", tool: "fish", programs: ["fish"] },
  { category: "shell", tool: "sh", programs: ["sh"] },
  { category: "package-manager", tool: "apt", programs: ["apt", "apt-get", "apt-cache", "apt-config", "apt-mark", "aptitude"], data: ["/usr/lib/apt", "/var/lib/apt", "/var/cache/apt", "/etc/apt"] },
  {
    category: "package-manager",
    tool: "dpkg",
    programs: ["dpkg", "dpkg-deb", "dpkg-query", "dpkg-divert", "dpkg-split", "dpkg-trigger", "dpkg-statoverride", "dpkg-maintscript-helper", "dpkg-realpath"],
    data: ["/var/lib/dpkg", "/etc/dpkg", "/usr/share/dpkg", "/usr/lib/dpkg"],
  },
  { category: "package-manager", tool: "apk", programs: ["apk"], data: ["/lib/apk", "/etc/apk", "/var/cache/apk"] },
  { category: "package-manager", tool: "rpm", programs: ["rpm", "rpmdb", "rpmkeys", "rpmquery", "rpmverify"], data: ["/usr/lib/rpm"] },
  { category: "package-manager", tool: "dnf", programs: ["dnf", "dnf-3", "dnf5", "yum", "microdnf"], data: ["/var/cache/yum", "/var/cache/dnf", "/var/lib/dnf", "/etc/dnf"] },
  { category: "package-manager", tool: "tdnf", programs: ["tdnf"] },
  { category: "package-manager", tool: "zypper", programs: ["zypper"], data: ["/var/cache/zypp", "/etc/zypp"] },
  { category: "package-manager", tool: "pip", programs: ["pip", "pip3"] },
  { category: "package-manager", tool: "npm", programs: ["npm", "npx"], data: ["/usr/lib/node_modules/npm", "/usr/local/lib/node_modules/npm", "/usr/share/nodejs/npm"] },
  { category: "package-manager", tool: "yarn", programs: ["yarn", "yarnpkg"] },
  { category: "package-manager", tool: "pnpm", programs: ["pnpm"] },
  { category: "package-manager", tool: "gem", programs: ["gem"] },
  { category: "package-manager", tool: "composer", programs: ["composer"] },
  { category: "package-manager", tool: "conda", programs: ["conda"] },
  { category: "compiler", tool: "gcc", programs: ["gcc", "g++", "cc", "c++", "cpp"], data: ["/usr/lib/gcc", "/usr/libexec/gcc"] },
  { category: "compiler", tool: "clang", programs: ["clang", "clang++"] },
  { category: "compiler", tool: "tcc", programs: ["tcc"] },
  { category: "compiler", tool: "binutils", programs: ["as", "ld", "ld.bfd", "ld.gold"] },
  { category: "compiler", tool: "make", programs: ["make", "cmake"] },
  { category: "compiler", tool: "go", programs: ["go"], data: ["/usr/local/go", "/usr/lib/go"] },
  { category: "compiler", tool: "rust", programs: ["rustc", "cargo"] },
  { category: "compiler", tool: "javac", programs: ["javac"] },
  { category: "debugger", tool: "gdb", programs: ["gdb", "gdbserver"] },
  { category: "debugger", tool: "lldb", programs: ["lldb"] },
  { category: "debugger", tool: "strace", programs: ["strace"] },
  { category: "debugger", tool: "ltrace", programs: ["ltrace"] },
  { category: "debugger", tool: "valgrind", programs: ["valgrind"] },
  { category: "debugger", tool: "perf", programs: ["perf"] },
  { category: "debugger", tool: "bpftrace", programs: ["bpftrace"] },
  { category: "network-tool", tool: "curl", programs: ["curl"] },
  { category: "network-tool", tool: "wget", programs: ["wget"] },
  { category: "network-tool", tool: "netcat", programs: ["nc", "netcat", "ncat", "nc.openbsd", "nc.traditional"] },
  { category: "network-tool", tool: "socat", programs: ["socat"] },
  { category: "network-tool", tool: "telnet", programs: ["telnet"] },
  { category: "network-tool", tool: "ftp", programs: ["ftp", "tftp"] },
  { category: "network-tool", tool: "ssh", programs: ["ssh", "scp", "sftp"] },
  { category: "network-tool", tool: "rsync", programs: ["rsync"] },
  { category: "network-tool", tool: "nmap", programs: ["nmap"] },
  { category: "network-tool", tool: "tcpdump", programs: ["tcpdump"] },
];
