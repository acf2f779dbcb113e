// Serves the default export ({ fetch(request) }) of the module whose file URL is the first argument,
// on a loopback port with Bun.serve or Deno.serve, and prints {"port":N} once listening.
// SIGTERM closes the server and exits 0. Run by test/support/runtimes/launch.ts.
/* global Bun, Deno */
const isDeno = typeof globalThis.Deno === 'object';
const moduleUrl = isDeno ? Deno.args[0] : Bun.argv[2];
const app = (await import(moduleUrl)).default;
const fetch = (request) => app.fetch(request);

if (isDeno) {
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(JSON.stringify({ port })) }, fetch);
  Deno.addSignalListener('SIGTERM', async () => {
    await server.shutdown();
    Deno.exit(0);
  });
} else {
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch });
  console.log(JSON.stringify({ port: server.port }));
  process.on('SIGTERM', () => {
    server.stop(true);
    process.exit(0);
  });
}
