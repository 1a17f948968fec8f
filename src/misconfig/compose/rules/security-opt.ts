/**
 * PCS-CMP-009: confinement turned off in `security_opt` — `seccomp:unconfined`,
 * `apparmor:unconfined`, `label:disable` (SELinux) — in either the `:` or
 * the `=` spelling.
 */
import { CIS, composeRule, hitAt, type Hit } from "./rule.js";

const DISABLED: readonly { re: RegExp; what: string }[] = [
  { re: /^seccomp[:=]unconfined$/i, what: "seccomp filtering" },
  { re: /^apparmor[:=]unconfined$/i, what: "the AppArmor profile" },
  { re: /^label[:=]disable$/i, what: "SELinux labelling" },
];

export const unconfined = composeRule({
  id: "PCS-CMP-009",
  title: "Service turns off seccomp, AppArmor or SELinux confinement",
  severity: "high",
  why: "The default seccomp profile blocks about 40 dangerous syscalls and AppArmor/SELinux confine file and kernel access; `unconfined` removes that layer, making kernel exploits and escapes far easier.",
  remediation: "Remove the `unconfined`/`disable` entry; if a syscall is really needed, use a custom seccomp profile (`seccomp:<profile.json>`) that allows only it.",
  references: ["https://docs.docker.com/engine/security/seccomp/", "https://docs.docker.com/engine/security/apparmor/", "https://docs.docker.com/reference/compose-file/services/#security_opt"],
  mappings: { cisDocker: [CIS.apparmor, CIS.selinux, CIS.seccomp] },
  check(service) {
    const hits: Hit[] = [];
    service.securityOpt.forEach((opt, i) => {
      const found = DISABLED.find((d) => d.re.test(opt.trim()));
      if (found) hits.push(hitAt(service, ["security_opt", i], `services.${service.name}.security_opt has ${opt}: ${found.what} is off`, `remove ${opt}; use a custom profile that allows only what the service needs`));
    });
    return hits;
  },
});
