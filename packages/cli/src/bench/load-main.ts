import { readFileSync } from 'node:fs';
import { runLoad, type LoadConfig } from './load.ts';

/**
 * Entry of the load process: `node --import tsx load-main.ts <config.json>`; prints the
 * result as one JSON line on stdout.
 */
const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: load-main.ts <config.json>\n');
  process.exit(2);
}
const cfg = JSON.parse(readFileSync(file, 'utf8')) as LoadConfig;
const result = await runLoad(cfg);
process.stdout.write(`${JSON.stringify(result)}\n`);
