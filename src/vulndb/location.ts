/** Where the vulnerability DB lives unless `--db` says otherwise: PORTCULLIS_DB, else the user cache dir. */
import { join } from "node:path";
import envPaths from "env-paths";

export function defaultDbPath(): string {
  return process.env.PORTCULLIS_DB || join(envPaths("portcullis", { suffix: "" }).cache, "db", "vulnerabilities.db");
}
