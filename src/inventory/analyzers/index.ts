/** Every analyzer, in one list: a new ecosystem is one new file and one line here. */
import type { Analyzer } from "../analyzer.js";
import { apkAnalyzer } from "./apk.js";
import { dpkgCopyrightAnalyzer } from "./dpkg-copyright.js";
import { dpkgFilesAnalyzer, dpkgStatusAnalyzer } from "./dpkg.js";
import { goBinaryAnalyzer } from "./gobinary.js";
import { javaAnalyzer } from "./java.js";
import { osReleaseAnalyzer } from "./os-release.js";

export const ANALYZERS: readonly Analyzer[] = [osReleaseAnalyzer, dpkgStatusAnalyzer, dpkgFilesAnalyzer, dpkgCopyrightAnalyzer, apkAnalyzer, javaAnalyzer, goBinaryAnalyzer];
