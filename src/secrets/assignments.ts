/**
 * `key = value` assignments found around keywords, in the shapes config files
 * and scripts write them: env files and shell (`export DB_PASSWORD='…'`),
 * YAML (`password: …`), JSON (`"password": "…"`), properties
 * (`db.password = …`), command lines (`--password=…`), XML attributes and
 * elements (`<password>…</password>`), Go and Pascal (`:=`), Ruby and PHP
 * (`=>`).
 *
 * The scan is linear: a keyword regex finds anchors, and from each anchor a
 * bounded walk reads the key around it, the operator and the value; the
 * search resumes after what was read.
 */

export interface Assignment {
  /** The whole key the keyword sits in: `spring.datasource.password`, `DB_PASSWORD`, `_authToken`. */
  key: string;
  keyStart: number;
  /** The value without its quotes; may be empty. */
  value: string;
  valueStart: number;
  valueEnd: number;
  quoted: boolean;
}

/** Longest key read around a keyword, each side. */
const KEY_MAX = 80;
/** Longest value read; longer ones are not taken as secrets. */
export const VALUE_MAX = 512;
/** Spaces and tabs allowed around the operator. */
const GAP_MAX = 8;

/** A-Z a-z 0-9 _ . - */
function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

function isGap(c: number): boolean {
  return c === 32 || c === 9;
}

/** Ends an unquoted value: white space, quotes, separators of lists, maps, queries and statements. */
function endsBareValue(c: number): boolean {
  // \t \n \v \f \r space " ' ` , ; } ] ) & < >
  return (
    c <= 32 || c === 34 || c === 39 || c === 96 || c === 44 || c === 59 || c === 125 || c === 93 || c === 41 || c === 38 || c === 60 || c === 62
  );
}

/**
 * Every assignment whose key contains a match of `keyword` (a global regex,
 * usually case-insensitive). Comparisons (`==`, `!=`, `===`) are not
 * assignments; a value that runs past `VALUE_MAX` or an unterminated quote is
 * skipped.
 */
export function findAssignments(text: string, keyword: RegExp): Assignment[] {
  if (!keyword.global) throw new Error(`keyword regex ${String(keyword)} needs the g flag`);
  const re = new RegExp(keyword.source, keyword.flags);
  const n = text.length;
  const out: Assignment[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const hit = m.index;
    const hitEnd = hit + Math.max(1, m[0].length);
    let ks = hit;
    while (ks > 0 && hit - ks < KEY_MAX && isKeyChar(text.charCodeAt(ks - 1))) ks--;
    let ke = hitEnd;
    while (ke < n && ke - hitEnd < KEY_MAX && isKeyChar(text.charCodeAt(ke))) ke++;
    re.lastIndex = ke;
    if ((ks > 0 && isKeyChar(text.charCodeAt(ks - 1))) || (ke < n && isKeyChar(text.charCodeAt(ke)))) continue;
    const key = text.slice(ks, ke);

    // <password>value</password>
    if (ks > 0 && text.charCodeAt(ks - 1) === 60 /* < */ && text.charCodeAt(ke) === 62 /* > */) {
      const vs = ke + 1;
      const close = text.indexOf("<", vs);
      if (close < 0 || close - vs > VALUE_MAX || text.slice(vs, close).includes("\n")) continue;
      if (!text.startsWith(`</${key}>`, close)) continue;
      out.push({ key, keyStart: ks, value: text.slice(vs, close), valueStart: vs, valueEnd: close, quoted: false });
      re.lastIndex = close;
      continue;
    }

    let i = ke;
    const q0 = text.charCodeAt(i);
    if (q0 === 34 || q0 === 39) i++; // the closing quote of a quoted key
    for (let g = 0; g < GAP_MAX && isGap(text.charCodeAt(i)); g++) i++;
    const op = text.charCodeAt(i);
    if (op === 58 /* : */) {
      const next = text.charCodeAt(i + 1);
      if (next === 58) continue; // Rust and C++ paths: secret::Key
      i += next === 61 ? 2 : 1; // := or :
    } else if (op === 61 /* = */) {
      const next = text.charCodeAt(i + 1);
      if (next === 61) continue; // == and ===
      i += next === 62 ? 2 : 1; // => or =
    } else {
      continue;
    }
    for (let g = 0; g < GAP_MAX && isGap(text.charCodeAt(i)); g++) i++;

    const q = text.charCodeAt(i);
    if (q === 34 || q === 39 || q === 96) {
      const vs = i + 1;
      let j = vs;
      while (j < n && j - vs <= VALUE_MAX) {
        const c = text.charCodeAt(j);
        if (c === q || c === 10 || c === 13) break;
        j += c === 92 /* \ */ ? 2 : 1;
      }
      if (j >= n || text.charCodeAt(j) !== q || j - vs > VALUE_MAX) {
        re.lastIndex = Math.max(ke, Math.min(j, n)); // an unterminated quote: go on after what was read
        continue;
      }
      out.push({ key, keyStart: ks, value: text.slice(vs, j), valueStart: vs, valueEnd: j, quoted: true });
      re.lastIndex = j + 1;
    } else {
      const vs = i;
      let j = vs;
      while (j < n && j - vs <= VALUE_MAX && !endsBareValue(text.charCodeAt(j))) j++;
      if (j - vs > VALUE_MAX) {
        re.lastIndex = j;
        continue;
      }
      out.push({ key, keyStart: ks, value: text.slice(vs, j), valueStart: vs, valueEnd: j, quoted: false });
      re.lastIndex = Math.max(j, ke);
    }
  }
  return out;
}
