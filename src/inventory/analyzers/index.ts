/** Every analyzer, in one list: a new ecosystem is one new file and one line here. */
import type { Analyzer } from "../analyzer.js";
import { apkAnalyzer } from "./apk.js";
import { dpkgCopyrightAnalyzer } from "./dpkg-copyright.js";
import { dpkgFilesAnalyzer, dpkgStatusAnalyzer } from "./dpkg.js";
import { goBinaryAnalyzer } from "./gobinary.js";
import { javaAnalyzer } from "./java.js";
import { nodeLockfileAnalyzer } from "./node-lockfiles.js";
import { nodePackageAnalyzer } from "./node.js";
import { osReleaseAnalyzer } from "./os-release.js";
import { pythonLockfileAnalyzer } from "./python-lockfiles.js";
import { pythonPackageAnalyzer } from "./python.js";
import { rpmAnalyzer } from "./rpm/index.js";
import { gemfileLockAnalyzer, gemspecAnalyzer } from "./ruby.js";
import { cargoLockAnalyzer } from "./rust.js";

export const ANALYZERS: readonly Analyzer[] = [
  osReleaseAnalyzer,
  dpkgStatusAnalyzer,
  dpkgFilesAnalyzer,
  dpkgCopyrightAnalyzer,
  apkAnalyzer,
  rpmAnalyzer,
  nodePackageAnalyzer,
  nodeLockfileAnalyzer,
  pythonPackageAnalyzer,
  pythonLockfileAnalyzer,
  gemspecAnalyzer,
  gemfileLockAnalyzer,
  cargoLockAnalyzer,
  javaAnalyzer,
  goBinaryAnalyzer,
];
