#!/usr/bin/env node
// The CLI runs TypeScript sources directly through tsx's loader: no build step between a
// clone and a working `npx fanli …`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
