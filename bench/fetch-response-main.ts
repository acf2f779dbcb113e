import { benchmarkFetchResponse } from './fetch-response';

// One runtime's figures as a JSON line: `node --import tsx` or `bun` runs this file.
const [milliseconds = '1000', repetitions = '5'] = process.argv.slice(2);
const runtime = typeof (globalThis as { Bun?: unknown }).Bun === 'object' ? 'bun' : 'node';
benchmarkFetchResponse(runtime, Number(milliseconds), Number(repetitions)).then(
  (result) => console.log(JSON.stringify(result)),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
