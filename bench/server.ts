import type { AddressInfo } from 'node:net';
import { variantNamed } from './variants';

/**
 * One variant's server, started by bench/harness.ts in its own process so
 * that variants never share a heap or a JIT. It tells the parent its port
 * over IPC, answers 'cpu' with its CPU time so far (µs), and exits when the
 * parent goes away.
 */
const variant = variantNamed(process.argv[2]);
const server = variant.createApp().listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ port });
});
process.on('message', (message) => {
  if (message !== 'cpu') return;
  const { user, system } = process.cpuUsage();
  process.send?.({ cpu: user + system });
});
process.on('disconnect', () => process.exit(0));
