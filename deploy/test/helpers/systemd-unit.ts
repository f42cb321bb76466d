import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const UNIT = fileURLToPath(new URL('../../systemd/parley@.service', import.meta.url));

/** The systemd unit's `ExecStart`: the program, the Node flags before the script, the script. */
export function unitExecStart(): { program: string; nodeFlags: string[]; script: string } {
  const line = readFileSync(UNIT, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('ExecStart='));
  if (line === undefined) throw new Error(`${UNIT} has no ExecStart`);
  const [program, ...rest] = line.slice('ExecStart='.length).trim().split(/\s+/);
  const script = rest.findIndex((arg) => !arg.startsWith('-'));
  if (program === undefined || script < 0) throw new Error(`cannot read ${line}`);
  return { program, nodeFlags: rest.slice(0, script), script: rest[script]! };
}
