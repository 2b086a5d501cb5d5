import { readFile } from 'node:fs/promises';
import { formatErrors, simulate } from '@fanli/engine';

/**
 * `fanli simulate <scenario.json>`: replay a scenario through the rule engine and print
 * the result JSON (exit 0). A malformed scenario, an invalid setting or an unreadable
 * file prints one line naming the problem on stderr and exits 2 — never a stack trace.
 */
export async function run(args: string[]): Promise<number> {
  const file = args.find((a) => !a.startsWith('-'));
  if (!file) {
    process.stderr.write('usage: fanli simulate <scenario.json>\n');
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    process.stderr.write(`${file}: cannot read file (${code})\n`);
    return 2;
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    process.stderr.write(`${file}: invalid JSON (${oneLine((e as Error).message)})\n`);
    return 2;
  }
  try {
    const outcome = simulate(input);
    if (!outcome.ok) {
      process.stderr.write(`${oneLine(formatErrors(outcome.errors))}\n`);
      return 2;
    }
    process.stdout.write(`${JSON.stringify(outcome.result, null, 2)}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(
      `fanli simulate: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}\n`,
    );
    return 1;
  }
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();
