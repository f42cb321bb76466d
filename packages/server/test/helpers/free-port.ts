import net from 'node:net';

/*
 * Ports for child processes (a server started by its CLI, nginx, Redis) to listen on.
 *
 * Probing with `listen(0)` and releasing the port raced with every other test: the kernel
 * hands `listen(0)` its ports from the ephemeral range (32768–60999 on Linux by default),
 * so the port just released could go to another test's in-process server before the child
 * bound it — once the ATAS CLI's web app "started" with its port held by another test's
 * server, which answered its health check and then 404 for /dev/mail. These ports are
 * drawn below that range instead, where `listen(0)` never lands, each vitest worker
 * from a block of its own (VITEST_POOL_ID), in turn, each checked free by listening on it.
 */

const FIRST_PORT = 20_000;
const BLOCK = 1_000;
const BLOCKS = 12;

/** The next port of this worker's block to try. */
let next = 0;

/** A port nobody listens on now, and which no `listen(0)` of another test will take. */
export async function freePort(): Promise<number> {
  const worker = Number(process.env['VITEST_POOL_ID'] ?? 0) || 0;
  const base = FIRST_PORT + (worker % BLOCKS) * BLOCK;
  for (let tries = 0; tries < BLOCK; tries++) {
    const port = base + (next++ % BLOCK);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${base}–${base + BLOCK - 1}`);
}

function canListen(port: number): Promise<boolean> {
  const probe = net.createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
