/**
 * ts-node only transpiles this file: `npm run typecheck` checks it, and a full check here costs every jest run seconds.
 * @jest-config-loader-options {"transpileOnly": true}
 */
import { availableParallelism } from 'node:os';
import type { Config } from 'jest';

/** Packages that ship ES modules only, which jest cannot require under Node 20 (arktype and its own packages). */
const ESM_ONLY = '(arktype|arkregex|@ark/[^/]+)';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking is `npm run typecheck`'s job; tsconfig's isolatedModules makes ts-jest only transpile.
  transform: {
    '^.+\\.ts$': 'ts-jest',
    // Compiled to CommonJS for the tests.
    [`/node_modules/${ESM_ONLY}/.+\\.js$`]: [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY}/)`],
  // jest's default, a worker per core but one, runs a 2-core machine's suite in band, one file at a time, while many
  // files wait on child processes, a browser or the network: two workers there (see CONTRIBUTING.md, Test suite time).
  maxWorkers: Math.max(2, availableParallelism() - 1),
};

export default config;
