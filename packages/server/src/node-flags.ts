/**
 * The Node.js flags a Parley server process runs with: `node <flags> cli.js`, as the
 * systemd unit (deploy/systemd), `npm start` and the bench start it. V8 reads them when
 * the process starts; the server cannot set them itself.
 *
 * `--max-semi-space-size=32`: V8's young generation, where a request's or a send's
 * short-lived objects live, grows to 32 MB semi-spaces instead of 16. With 16, a batch of
 * sends in flight filled it before its objects were garbage, so they were copied and
 * promoted to the old generation, whose collections cost more. Measured with the bench,
 * default and 32 alternated on one 2-core machine: PostgreSQL ingest (200 senders) spent
 * ~14 % less of the server's CPU per message (0.66–0.69 of PostgreSQL's own CPU, which the
 * flag does not touch and which moved with the host, against 0.74–0.83 in ten runs) and
 * stored ~10 % more messages a second; 20,000 idle connections left the server at 308–310
 * MB of RSS against 373–394 (their setup's objects die young instead of filling the old
 * generation). At DM rates (500 messages a second) no difference showed. What it costs: up
 * to 48 MB more young generation under load.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];

/**
 * The startup banner's line on the flags: those given (on the command line or in
 * NODE_OPTIONS), or which are missing and where to read why. A flag counts as given
 * with any value, the operator's choice.
 */
export function nodeFlagsLine(execArgv: readonly string[], nodeOptions = ''): string {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].filter((arg) => arg !== '');
  const nameOf = (flag: string) => flag.split('=')[0]!.replace(/_/g, '-');
  const missing = SERVER_NODE_FLAGS.filter(
    (flag) => !given.some((arg) => nameOf(arg) === nameOf(flag)),
  );
  if (missing.length === 0) {
    const names = new Set(SERVER_NODE_FLAGS.map(nameOf));
    return given.filter((arg) => names.has(nameOf(arg))).join(' ');
  }
  return `run node with ${missing.join(' ')} for less CPU a send under load (docs/deploy.md)`;
}
