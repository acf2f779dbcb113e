/**
 * ts-node only transpiles this file: `npm run typecheck` checks it, and a full check here costs every jest run seconds.
 * @jest-config-loader-options {"transpileOnly": true}
 */
import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking is `npm run typecheck`'s job; tsconfig's isolatedModules makes ts-jest only transpile.
  transform: { '^.+\\.ts$': 'ts-jest' },
};

export default config;
