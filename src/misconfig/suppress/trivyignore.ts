/**
 * Trivy's `.trivyignore`, carried over: one id per line, optionally followed
 * by `exp:YYYY-MM-DD`; `#` starts a comment line. Trivy applies each id to
 * every file, and so do we; the comment lines right above an id become its
 * reason. Misconfiguration ids are matched through our rules' Trivy
 * mappings in every spelling Trivy has used (`AVD-DS-0002`, `DS002`,
 * `DS-0002`). Trivy's experimental `.trivyignore.yaml` is not read.
 *
 * Pure: the caller reads the file and hands over its text.
 */
import { InputError } from "../../common/index.js";
import { isCalendarDate, NO_REASON, type Suppression } from "./suppression.js";

/** The suppressions of a `.trivyignore` file. Throws InputError for an `exp:` that is no calendar day. */
export function parseTrivyIgnore(text: string, file: string): Suppression[] {
  const out: Suppression[] = [];
  let comments: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") {
      comments = [];
      return;
    }
    if (line.startsWith("#")) {
      comments.push(line.replace(/^#+\s*/, ""));
      return;
    }
    const [id, ...fields] = line.split(/\s+/);
    const s: Suppression = { rule: id!, reason: comments.join(" ").trim() || NO_REASON, origin: { kind: "ignore-file", tool: "trivy", file, line: i + 1 } };
    for (const field of fields) {
      if (field.startsWith("#")) break;
      if (!field.startsWith("exp:")) continue;
      const date = field.slice("exp:".length);
      if (!isCalendarDate(date)) throw new InputError(file, `line ${i + 1}`, `${id} exp: expected a date YYYY-MM-DD, got "${date}", which is no calendar day`);
      s.expires = date;
    }
    out.push(s);
    comments = [];
  });
  return out;
}
