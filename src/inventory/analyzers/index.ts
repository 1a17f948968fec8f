/** Every analyzer, in one list: a new ecosystem is one new file and one line here. */
import type { Analyzer } from "../analyzer.js";

export const ANALYZERS: readonly Analyzer[] = [];
