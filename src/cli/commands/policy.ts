/** `portcullis policy test FILE...`: run policy tests (saved reports with expected verdicts) in CI. */
import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { InputError } from "../../common/index.js";
import { runPolicyTests } from "../../policy/index.js";

async function read(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    throw new InputError(file, undefined, `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

export function policyCommand(): Command {
  const policy = new Command("policy").description("work with policy files");
  policy
    .command("test")
    .description("run policy tests: each case judges a saved report at a stage and expects allow or deny")
    .argument("<file...>", "test files (YAML, kind: PolicyTest)")
    .option("-f, --format <format>", "table or json", "table")
    .addHelpText(
      "after",
      `
A test file:
  apiVersion: portcullis.dev/v1
  kind: PolicyTest
  policy: policy.yaml            # relative to the test file
  date: 2026-11-22               # the day exceptions are judged against
  cases:
    - name: prod refuses root images
      report: reports/app.json   # saved by: portcullis image -f json
      stage: promote:prod
      expect: deny
      denied: [non-root]         # optional: exactly these deny rules fire

Exit status: 0 when every case passes, 1 otherwise.`,
    )
    .action(async (files: string[], opts: { format: string }) => {
      const all = [];
      for (const file of files) all.push(...(await runPolicyTests(file, read)).map((r) => ({ file, ...r })));
      if (opts.format === "json") process.stdout.write(JSON.stringify(all.map(({ file, name, passed, problem }) => ({ file, name, passed, ...(problem ? { problem } : {}) })), null, 2) + "\n");
      else {
        for (const r of all) process.stdout.write(`${r.passed ? "PASS" : "FAIL"}  ${r.file}: ${r.name}${r.problem ? `\n      ${r.problem}` : ""}\n`);
        const failed = all.filter((r) => !r.passed).length;
        process.stdout.write(`${all.length - failed} passed, ${failed} failed\n`);
      }
      if (all.some((r) => !r.passed)) process.exitCode = 1;
    });
  return policy;
}
