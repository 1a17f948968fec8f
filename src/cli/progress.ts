/** Progress on a terminal (stderr), silent otherwise: pipelines get clean logs. */
import { shortDigest } from "../common/index.js";
import type { ProgressEvent } from "../image/index.js";
import type { LayerEvent } from "../inventory/index.js";

export interface Progress {
  pull(event: ProgressEvent): void;
  layer(event: LayerEvent): void;
  /** Files scanned so far by `portcullis config`. */
  files(done: number, total: number): void;
  done(): void;
}

const SILENT: Progress = { pull: () => {}, layer: () => {}, files: () => {}, done: () => {} };

function mib(n: number): string {
  return `${(n / 1048576).toFixed(1)} MiB`;
}

export function progress(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || !stream.isTTY) return SILENT;
  let last = 0;
  const show = (text: string, force = false) => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    stream.write(`\r\x1b[2K${text.slice(0, (stream.columns || 80) - 1)}`);
  };
  return {
    pull: (e) => show(`pulling ${shortDigest(e.digest)} ${mib(e.done)}${e.total ? ` / ${mib(e.total)}` : ""}`),
    layer: (e) => {
      const state = e.cached ? "cached" : e.phase === "done" ? "walked" : "walking";
      const count = e.phase === "walk" ? ` ${e.entries} files, ${mib(e.bytes ?? 0)}` : "";
      show(`${state} layer ${e.index + 1}/${e.total} ${shortDigest(e.digest)}${count}`, e.phase !== "walk");
    },
    files: (done, total) => show(`scanned ${done}/${total} files`, done === total),
    done: () => stream.write("\r\x1b[2K"),
  };
}
