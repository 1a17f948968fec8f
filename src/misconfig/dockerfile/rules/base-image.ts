/**
 * PCS-DF-004 and PCS-DF-005: base images that float. `latest`, or no tag at
 * all (which pulls `latest`), changes under the build without notice; a
 * version tag is better but still moves when the publisher re-tags it. Only
 * a digest pins the bytes. Stages built on another stage, `scratch`, and
 * bases whose name is only known at build time (`FROM $BASE` without a
 * default) are not judged.
 */
import { isLatest } from "../reference.js";
import type { Stage } from "../parse.js";
import { dockerfileRule, type Hit } from "./rule.js";
import { at } from "./stages.js";

/** Stages whose base is an image named in full here. */
function imageStages(stages: readonly Stage[]): (Stage & { image: NonNullable<Stage["image"]> })[] {
  return stages.filter((s): s is Stage & { image: NonNullable<Stage["image"]> } => s.image !== undefined && !s.scratch && s.baseStage === undefined && !s.baseExpanded.includes("$"));
}

export const floatingBaseTag = dockerfileRule({
  id: "PCS-DF-004",
  title: "Base image uses the latest tag or no tag",
  severity: "medium",
  why: "`latest` (which is also what an untagged FROM pulls) points at whatever was pushed last: builds stop being reproducible and a new major version or a compromised push arrives unreviewed.",
  remediation: "Name a version tag, and preferably its digest: `FROM node:20.11-bookworm-slim@sha256:<digest>`.",
  references: ["https://docs.docker.com/build/building/best-practices/#pin-base-image-versions", "https://docs.docker.com/reference/dockerfile/#from"],
  mappings: { hadolint: ["DL3006", "DL3007"], trivy: ["DS-0001"], checkov: ["CKV_DOCKER_7"], dockle: ["DKL-DI-0006"] },
  check(dockerfile) {
    const hits: Hit[] = [];
    for (const stage of imageStages(dockerfile.stages)) {
      if (!isLatest(stage.image)) continue;
      const written = stage.image.tag === undefined ? "no tag (Docker pulls latest)" : "the latest tag";
      hits.push({
        evidence: `FROM ${stage.baseExpanded} uses ${written}`,
        location: at(stage.from),
        fix: { description: `name a version and its digest: \`FROM ${stage.baseExpanded.replace(/:latest$/, "")}:<version>@sha256:<digest>\`` },
      });
    }
    return hits;
  },
});

export const unpinnedBaseDigest = dockerfileRule({
  id: "PCS-DF-005",
  title: "Base image not pinned by digest",
  severity: "low",
  why: "A version tag can be moved by its publisher (or by whoever takes over the repository); only a digest guarantees the build uses the base image that was reviewed and scanned.",
  remediation: "Add the digest of the tag you use: `FROM python:3.12-slim@sha256:<digest>` (`docker buildx imagetools inspect python:3.12-slim` prints it), and let a bot such as Renovate or Dependabot update it.",
  references: ["https://docs.docker.com/build/building/best-practices/#pin-base-image-versions", "https://docs.docker.com/reference/dockerfile/#from"],
  mappings: {},
  check(dockerfile) {
    const hits: Hit[] = [];
    for (const stage of imageStages(dockerfile.stages)) {
      // A floating tag is PCS-DF-004's finding; this one is about tags that look fixed.
      if (stage.image.digest !== undefined || isLatest(stage.image)) continue;
      hits.push({
        evidence: `FROM ${stage.baseExpanded} has a tag but no digest`,
        location: at(stage.from),
        fix: { description: `pin the digest: \`FROM ${stage.baseExpanded}@sha256:<digest>\`` },
      });
    }
    return hits;
  },
});
