import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Child processes of the benchmark: the server under test, the load driver, engine cases, pgbench. */

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../../../../..');
const BIN = join(REPO_ROOT, 'packages/cli/bin/fanli.js');
const HERE = resolve(fileURLToPath(import.meta.url), '..');

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => res(port));
    });
  });
}

/** Runs a TypeScript entry of this folder in a new node process; resolves with its stdout. */
export function runTs(
  file: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, file), ...args], {
      cwd: REPO_ROOT,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', rej);
    child.on('exit', (code) =>
      code === 0 ? res(out) : rej(new Error(`${file} exited ${code}: ${err.slice(-2000)}`)),
    );
  });
}

/** Runs a command; resolves with stdout+stderr whatever the exit code. */
export function runCmd(
  cmd: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', rej);
    child.on('exit', (code) => res({ code: code ?? 1, output }));
  });
}

export interface ServerProc {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `fanli start --workers N` exactly as an operator runs it, in its own process group
 * (so the cluster's workers stop with it), logging at warn to `logFile`.
 */
export async function startFanli(opts: {
  workers: number;
  env: Record<string, string>;
  logFile: string;
  cpuProfDir?: string;
}): Promise<ServerProc> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    FANLI_PUBLIC_URL: url,
    LOG_LEVEL: 'warn',
    FANLI_SMS_PROVIDER: 'memory',
    NODE_ENV: 'production',
    // the bench pays through the sandbox, on purpose
    FANLI_ALLOW_SANDBOX_IN_PRODUCTION: 'true',
    ...opts.env,
  };
  // (--cpu-prof is not allowed in NODE_OPTIONS: it goes on the command line)
  const prof = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  const log = createWriteStream(opts.logFile, { flags: 'w' });
  const child = spawn(
    process.execPath,
    [...prof, BIN, 'start', '--workers', String(opts.workers)],
    {
      cwd: REPO_ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  let exited = false;
  const exitedP = new Promise<void>((r) => child.once('exit', () => ((exited = true), r())));
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 10_000);
    await exitedP;
    clearTimeout(timer);
    // cluster workers may outlive the primary by a moment
    await new Promise((r) => setTimeout(r, 300));
  };
  // ready when every worker answers: /healthz through the shared port
  const deadline = Date.now() + 120_000;
  let okInARow = 0;
  while (okInARow < opts.workers * 3) {
    if (exited) throw new Error(`fanli start exited early; see ${opts.logFile}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`fanli start not ready after 120 s; see ${opts.logFile}`);
    }
    try {
      const r = await fetch(`${url}/healthz`);
      okInARow = r.ok ? okInARow + 1 : 0;
    } catch {
      okInARow = 0;
    }
    await new Promise((r) => setTimeout(r, okInARow ? 50 : 250));
  }
  if (opts.workers > 1) await new Promise((r) => setTimeout(r, 1500)); // let the last worker finish listening
  return { url, child, stop };
}

export function pgbenchBinary(): string {
  for (const p of [
    '/usr/lib/postgresql/15/bin/pgbench',
    '/usr/lib/postgresql/16/bin/pgbench',
    '/usr/bin/pgbench',
  ]) {
    if (existsSync(p)) return p;
  }
  return 'pgbench';
}

export function writeJson(file: string, value: unknown) {
  writeFileSync(file, JSON.stringify(value));
}

/**
 * CPU seconds the whole machine has been busy (everything but idle and I/O wait), from
 * /proc/stat: what a run costs in CPU, whoever spends it — client, server, database and
 * its background writers alike. 0 where there is no /proc.
 */
export function machineBusySeconds(): number {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
    const [user, nice, system, , , irq, softirq, steal] = f.map(Number) as number[];
    return (
      ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100
    );
  } catch {
    return 0;
  }
}

/**
 * CPU seconds (user + system) used so far by the processes of a process group, by every
 * process with a given command name, or by the processes whose command line contains a
 * string (PostgreSQL backends show their database name there). A process that exits
 * between two readings takes its ticks with it. Linux /proc only; 0 elsewhere.
 */
export function cpuSeconds(
  match: { pgrp: number } | { comm: string } | { cmdline: string },
): number {
  let ticks = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!/^[0-9]+$/.test(e)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${e}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    // after the command: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    if ('pgrp' in match && Number(f[2]) !== match.pgrp) continue;
    if ('comm' in match && comm !== match.comm) continue;
    if ('cmdline' in match) {
      try {
        if (!readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(match.cmdline)) continue;
      } catch {
        continue;
      }
    }
    ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / 100;
}
