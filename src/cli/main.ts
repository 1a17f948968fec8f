#!/usr/bin/env node
/** portcullis: one CLI over the modules; commands are thin and hold no scanning logic. */
import { Command } from "commander";
import { isInputError, messageOf } from "../common/index.js";
import { configCommand } from "./commands/config.js";
import { dbCommand } from "./commands/db.js";
import { gateCommand } from "./commands/gate.js";
import { policyCommand } from "./commands/policy.js";
import { imageCommand } from "./commands/image.js";
import { rescanCommand } from "./commands/rescan.js";
import { rulesCommand } from "./commands/rules.js";
import { sbomCommand } from "./commands/sbom.js";
import { attestCommand } from "./commands/attest.js";
import { keygenCommand } from "./commands/keygen.js";
import { signCommand } from "./commands/sign.js";
import { verifyCommand } from "./commands/verify.js";
import { VERSION } from "./version.js";

// A reader that stops early (| head) is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});

const program = new Command("portcullis")
  .description("container security from build to run: inventory, vulnerabilities, misconfiguration, policy")
  .version(VERSION)
  .addCommand(sbomCommand())
  .addCommand(imageCommand())
  .addCommand(configCommand())
  .addCommand(gateCommand())
  .addCommand(policyCommand())
  .addCommand(keygenCommand())
  .addCommand(signCommand())
  .addCommand(attestCommand())
  .addCommand(verifyCommand())
  .addCommand(rescanCommand())
  .addCommand(dbCommand())
  .addCommand(rulesCommand())
  .showHelpAfterError();

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`portcullis: ${messageOf(err)}\n`);
  if (!isInputError(err) && process.env.PORTCULLIS_DEBUG) process.stderr.write(`${(err as Error).stack ?? ""}\n`);
  process.exitCode = 1;
});
