import type { RequestListener } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The child side of bench/harness.ts's startProcess: serves on a loopback
 * port and tells the parent over IPC, answers 'cpu' with the CPU time so far
 * (µs), and exits when the parent goes away.
 */
export function serveToParent(listener: RequestListener): void {
  const server = createServer(listener).listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.send?.({ port });
  });
  process.on('message', (message) => {
    if (message !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  });
  process.on('disconnect', () => process.exit(0));
}
