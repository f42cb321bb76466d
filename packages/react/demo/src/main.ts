/** `npm run demo`: starts the demo and prints where to open it; Ctrl+C stops it. */
import { DEMO_USERS, startDemo } from './server.js';

const port = Number(process.env.PORT ?? 3040);
const demo = await startDemo({ port, logLevel: process.env.PARLEY_DEMO_LOG_LEVEL ?? false });
console.log(`Parley demo: server at ${demo.serverUrl}`);
for (const user of DEMO_USERS) {
  console.log(`  as ${user.name}:  ${demo.url}/?user=${user.id}&theme=light`);
}
console.log('  themes: light, dark, atas (the theme= query parameter). Ctrl+C stops.');

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the demo…');
  demo.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
