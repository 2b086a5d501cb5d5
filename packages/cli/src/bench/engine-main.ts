import { settleBench, simulateBench } from './engine.ts';

/**
 * Entry of one engine case in its own process (so peak memory is the case's own):
 * `settle <queueLength> <orders>` or `simulate <events>`; prints one JSON line.
 */
const [kind, a, b, c] = process.argv.slice(2);
const result =
  kind === 'settle'
    ? settleBench(Number(a), Number(b), c === 'ledger')
    : kind === 'simulate'
      ? simulateBench(Number(a))
      : null;
if (!result) {
  process.stderr.write(
    'usage: engine-main.ts settle <queueLength> <orders> [ledger] | simulate <events>\n',
  );
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
