// The least any reader can do with a workbook: fflate unzipSync of the parts the fast reader
// needs, then one saxes pass that only collects the text of <v> and <t> (no types, no grid).
// bench/ingest.ts times it per file; bench/cli.ts runs it as a whole process over a folder,
// bundled like the CLI, as the floor `kaohe check` is compared with:
//   node floor.js PARTS_JSON FILE…
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';

/** Reads one file; returns the number of values found, so nothing can be optimised away. */
export function floor(file: string, parts: Set<string>): number {
  const entries = unzipSync(readFileSync(file), { filter: (f) => parts.has(f.name) });
  const decoder = new TextDecoder();
  let cells = 0;
  for (const data of Object.values(entries)) {
    const parser = new SaxesParser({ position: false });
    let inValue = false;
    const values: string[] = [];
    parser.on('opentag', (t) => {
      inValue = t.name === 'v' || t.name === 't';
    });
    parser.on('closetag', () => {
      inValue = false;
    });
    parser.on('text', (text) => {
      if (inValue) values.push(text);
    });
    parser.write(decoder.decode(data)).close();
    cells += values.length;
  }
  return cells;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [partsJson, ...files] = process.argv.slice(2);
  const parts = new Set(JSON.parse(partsJson!) as string[]);
  let cells = 0;
  for (const file of files) cells += floor(file, parts);
  console.log(`${files.length} files, ${cells} values`);
}
