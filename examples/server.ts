import { createApp } from './app';

const port = Number(process.env.PORT ?? 3000);
const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;

createApp({ publicUrl }).listen(port, () => {
  process.stdout.write(`example service on ${publicUrl} (try: curl -i ${publicUrl}/channels/live/authorize?user=u1)\n`);
});
