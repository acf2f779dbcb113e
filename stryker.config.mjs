// Mutation testing of the error path: `npm run mutate` (see CONTRIBUTING.md).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  coverageAnalysis: 'perTest',
  // The machine running it is usually shared: one or two test processes.
  concurrency: 2,
  mutate: [
    'src/core/normalize/**/*.ts',
    'src/core/envelope/**/*.ts',
    'src/core/formats/**/*.ts',
    'src/adapters/**/*.ts',
    'src/items/**/*.ts',
    'src/core/registry/**/*.ts',
  ],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.ts',
    config: {
      // Coverage instrumentation makes the sweeps several times slower than in npm test.
      testTimeout: 60000,
      // Each mutant reloads every test file that covers it, so files that cover nearly
      // everything and find little more cost the most: the property tests (whose cases
      // the example-based tests name one by one), the per-code catalog tests, tests of
      // other features (client, catalog pages, OpenAPI, bench, browser, overload, telemetry,
      // rate limits, upstream calls) and of the package as a whole (its build, two copies,
      // the docs' samples), which take seconds each and check those modules only in passing.
      testPathIgnorePatterns: [
        '/node_modules/',
        '/browser\\.test\\.ts$',
        '/bench-',
        '/test/client/',
        '/catalog-',
        '/openapi\\.test\\.ts$',
        '/fuzz-',
        '/registry\\.test\\.ts$',
        '/telemetry\\.test\\.ts$',
        '/package\\.test\\.ts$',
        '/doc-samples\\.test\\.ts$',
        '/two-copies\\.test\\.ts$',
        '/jsdoc-examples\\.test\\.ts$',
        '/rate-limit\\.test\\.ts$',
        '/upstream\\.test\\.ts$',
        '/overload\\.test\\.ts$',
        '/smoke\\.test\\.ts$',
        // Bundles the instrumented sources for Bun, Deno and workerd, which refuse the mutant switch's environment read.
        '/conformance\\.test\\.ts$',
        '/openapi-wire\\.test\\.ts$',
        // Asks git about the paths docs name: the sandbox is inside .stryker-tmp, which git ignores.
        '/doc-paths\\.test\\.ts$',
      ],
    },
    enableFindRelatedTests: false,
  },
  // Static mutants (code run when a module loads: registries, formatter tables) each need the
  // whole suite in a fresh process: over half the mutants and nearly all the time. They are
  // reported as ignored; the score is over the mutants that per-test coverage can target.
  ignoreStatic: true,
  timeoutMS: 10000,
  // event-recorder writes each mutant's result as it is known (reports/mutation/events),
  // so that a run stopped early still tells what it found.
  reporters: ['clear-text', 'progress-append-only', 'html', 'json', 'event-recorder'],
  eventReporter: { baseDir: 'reports/mutation/events' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
};
