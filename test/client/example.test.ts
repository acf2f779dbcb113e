import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(__dirname, '..', '..');

describe('examples/client.ts', () => {
  it('runs to the end: parse, retry, item retry, garbage', async () => {
    const tsx = require.resolve('tsx/cli');
    const { stdout } = await promisify(execFile)(process.execPath, [tsx, 'examples/client.ts'], { cwd: root, timeout: 60_000 });
    expect(stdout).toContain('xml: HTTP 403, status field 403, authorization_denied_by_mvpd, action none → request-context');
    expect(stdout).toMatch(/attempt 1 failed \(too_many_requests\); waiting 1000 ms\n\s+HTTP 200 after 2 attempts/);
    expect(stdout).toMatch(/attempt 1 sends TestStream1, TestStream2, TestStream3\n\s+attempt 2 sends TestStream2\n/);
    expect(stdout).toContain('still failing: TestStream3');
    expect(stdout).toContain('HTTP 502: not-json-or-xml');
  }, 60_000);
});
