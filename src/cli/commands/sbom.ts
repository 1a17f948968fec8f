/** `portcullis sbom TARGET`: the inventory of an image, rootfs or SBOM, in the format asked for. */
import { writeFile } from "node:fs/promises";
import { Command, Option } from "commander";
import { openImage, parseTarget, type ImageConfig, type ParsedTarget } from "../../image/index.js";
import { detectTransport } from "../../image/open.js";
import { defaultCacheDir, LayerCache, ANALYZERS, type Inventory } from "../../inventory/index.js";
import { scanImage, type ImageScan, type ImageScanners } from "../../scan/index.js";
import { inventoryTable } from "../output/table.js";
import { progress } from "../progress.js";
import { renderInventory, readInventoryFile, openers, FORMATS, type Format } from "../targets.js";

/** The inventory was written, but some files could not be read. */
export const EXIT_INCOMPLETE = 2;

export interface SbomOptions {
  format?: Format;
  output?: string;
  platform?: string;
  insecure?: boolean;
  cache: boolean;
  quiet?: boolean;
}

/** Open whatever the target names and scan it: the inventory always, image checks and secrets when asked. */
export async function scanTarget(target: string, opts: SbomOptions, scanners: ImageScanners, secretBinaries = false): Promise<ImageScan & { image: boolean; config?: ImageConfig }> {
  const parsed = parseTarget(target);
  const resolved: ParsedTarget = parsed.transport ? parsed : await detectTransport(parsed.value);
  // An SBOM lists packages only: there is no filesystem or configuration to check.
  if (resolved.transport === "sbom") return { inventory: await readInventoryFile(resolved.value, target), findings: [], image: false };
  const bar = progress(!opts.quiet);
  const image = await openImage(resolved, target, { platform: opts.platform, insecure: opts.insecure, onProgress: (e) => bar.pull(e) }, openers);
  try {
    const scan = await scanImage(image, {
      scanners,
      secretBinaries,
      ...(opts.cache ? { cache: new LayerCache(defaultCacheDir(), ANALYZERS) } : {}),
      onLayer: (e) => bar.layer(e),
    });
    return { ...scan, image: true, ...(image.config ? { config: image.config } : {}) };
  } finally {
    bar.done();
    await image.close();
  }
}

/** Open whatever the target names and take its inventory. Shared by every command that scans. */
export async function inventoryFor(target: string, opts: SbomOptions): Promise<Inventory> {
  return (await scanTarget(target, opts, { misconfig: false, secret: false })).inventory;
}

export function sbomCommand(): Command {
  return new Command("sbom")
    .description("list everything inside an image: OS and language packages, with the layer that added each (an SBOM)")
    .argument("<target>", "image to read: docker-archive:FILE, oci-archive:FILE, oci:DIR[:TAG], dir:ROOTFS, registry:REF, docker:REF, sbom:FILE, or a bare path/reference")
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS))
    .option("-o, --output <file>", "write the result to a file instead of standard output")
    .option("--platform <os/arch[/variant]>", "platform to pick from a multi-platform image", "linux/amd64")
    .option("--insecure", "allow plain HTTP to a registry on a loopback address")
    .option("--no-cache", "do not read or write the layer inventory cache (PORTCULLIS_CACHE_DIR)")
    .option("-q, --quiet", "no progress output")
    .addHelpText(
      "after",
      `
Examples:
  portcullis sbom docker-archive:app.tar               table of packages
  portcullis sbom oci:./layout:1.0 -f cyclonedx -o bom.json
  portcullis sbom registry:localhost:5000/app:1 --insecure -f spdx
  portcullis sbom dir:/mnt/rootfs -f json
  portcullis sbom sbom:bom.cdx.json                    read an SBOM back

Exit status: 0 when the inventory is complete; 1 on an error (nothing is
written); 2 when the inventory was written but files were skipped (each
named in a warning on stderr, e.g. a corrupt package.json in a layer).

Without a transport, an existing directory is read as a rootfs (or an OCI
layout if it has an oci-layout file), an existing file as an archive or SBOM,
and anything else as an image reference in a registry (alpine means
docker.io/library/alpine:latest).`,
    )
    .action(async (target: string, opts: SbomOptions) => {
      const inv = await inventoryFor(target, opts);
      const format = opts.format ?? (opts.output || !process.stdout.isTTY ? "json" : "table");
      const text = format === "table" ? inventoryTable(inv) : renderInventory(inv, format);
      if (opts.output) await writeFile(opts.output, text);
      else process.stdout.write(text);
      if (inv.warnings.length > 0) {
        for (const w of inv.warnings) process.stderr.write(`warning: ${w}\n`);
        // The inventory is written, but something in the image could not be read: say so to pipelines.
        process.exitCode = EXIT_INCOMPLETE;
      }
    });
}
