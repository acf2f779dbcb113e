import type { BuildOptions } from 'esbuild';

/**
 * esbuild as a Workers project runs it: ESM, platform neutral, with the
 * package conditions of workerd and browsers, every import bundled. The
 * tests that bundle for the edge and `npm run bench:fetch` share it.
 */
export const WORKERD_BUILD = {
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['module', 'main'],
  write: false,
  logLevel: 'silent',
} as const satisfies BuildOptions;
