/**
 * `fanli <command> [args]`. Each command lives in ./commands/<name>.ts and exports
 * `run(args): Promise<number>` returning the process exit code; the dispatcher stays thin.
 */
const COMMANDS = ['start', 'migrate', 'seed', 'simulate', 'bench'] as const;
type Command = (typeof COMMANDS)[number];

const USAGE = `Usage: fanli <command> [options]

Commands:
  start [--demo] [--workers N]   start the server (applies migrations; --demo seeds demo data)
  migrate                        apply pending database migrations
  seed                           load the demo shop (idempotent)
  simulate <scenario.json>       replay a scenario through the rule engine, print the result
  bench                          run the benchmark suite
`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  if (!(COMMANDS as readonly string[]).includes(name)) {
    process.stderr.write(`fanli: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  const mod = (await import(`./commands/${name as Command}.ts`)) as {
    run: (args: string[]) => Promise<number>;
  };
  return mod.run(args);
}
