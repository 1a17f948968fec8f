/** PCS-CMP-008: `user: root` (or uid 0) overrides an image's non-root USER. */
import { composeRule, hitAt } from "./rule.js";

export const rootUser = composeRule({
  id: "PCS-CMP-008",
  title: "Service runs as root",
  severity: "medium",
  why: "`user: root` or `user: \"0\"` runs the service as root whatever the image chose: a compromise of the service is then root in the container, one step from the host.",
  remediation: "Set `user` to an unprivileged uid:gid (e.g. `\"10001:10001\"`) or remove it to keep the image's own non-root USER.",
  references: ["https://docs.docker.com/reference/compose-file/services/#user", "https://docs.docker.com/build/building/best-practices/#user"],
  mappings: {},
  check(service) {
    const user = service.user?.split(":")[0]?.trim();
    if (user === undefined || !(user === "root" || /^0+$/.test(user))) return [];
    return [hitAt(service, ["user"], `services.${service.name}.user is ${service.user}`, 'set user to an unprivileged uid:gid, e.g. "10001:10001"', "10001:10001")];
  },
});
