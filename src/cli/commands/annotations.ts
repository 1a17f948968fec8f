/** `-a key=value` options of sign and verify: claims carried in a signature's payload. */
import { InvalidArgumentError } from "commander";

export function addAnnotation(text: string, previous: Record<string, string> | undefined): Record<string, string> {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got "${text}"`);
  return { ...(previous ?? {}), [text.slice(0, eq)]: text.slice(eq + 1) };
}
