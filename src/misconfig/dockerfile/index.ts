/**
 * Dockerfiles: the parser (BuildKit's reading of the file) and the
 * misconfiguration rules run over it.
 */
export {
  MAX_DOCKERFILE_LENGTH,
  expandRun,
  flag,
  parseDockerfile,
  type Directive,
  type Dockerfile,
  type ExposedPort,
  type Healthcheck,
  type Heredoc,
  type Instruction,
  type KeyValue,
  type Keyword,
  type ParseOptions,
  type Stage,
  type User,
} from "./parse.js";
export { isLatest, parseImageReference, type ImageReference } from "./reference.js";
export { checkDockerfile } from "./check.js";
export { DOCKERFILE_RULES, type DockerfileRule } from "./rules/index.js";
