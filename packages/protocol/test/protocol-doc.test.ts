import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode, errorStatus, retryableErrorCodes } from '../src/index.js';

const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

/** The rows of the markdown table under a heading: first cell and second cell. */
function tableUnder(heading: string): Map<string, string> {
  const start = doc.indexOf(`\n## ${heading}\n`);
  expect(start, `docs/protocol.md has a "${heading}" section`).toBeGreaterThan(0);
  const section = doc.slice(start + 1).split(/\n## /)[0]!;
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || cells[1]!.startsWith('-') || cells[1] === 'code') continue;
    rows.set(cells[1]!.replace(/`/g, ''), cells[2]!);
  }
  return rows;
}

describe('docs/protocol.md', () => {
  it('lists every error code the server sends, with its status, and no other', () => {
    const table = tableUnder('Error codes');
    const sent = Object.values(ErrorCode).filter((code) => code !== 'network_error');
    expect([...table.keys()].sort()).toEqual([...sent].sort());
    for (const code of sent)
      expect(`${code} ${table.get(code)}`).toBe(`${code} ${errorStatus[code]}`);
  });

  it('names the client-side network_error and exactly the codes worth retrying', () => {
    const section = doc.slice(doc.indexOf('\n## Error codes\n'));
    expect(section).toContain(`\`network_error\` (${errorStatus.network_error})`);
    const sentence = /\n((?:`[a-z_]+`(?:, | and )?)+)\s+are worth retrying unchanged/.exec(section);
    expect(sentence, 'the "worth retrying" sentence').not.toBeNull();
    const named = [...sentence![1]!.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    expect(named.sort()).toEqual([...retryableErrorCodes].sort());
  });

  it('lists every close code the server uses', () => {
    const table = tableUnder('Close codes');
    for (const code of Object.values(CloseCode))
      expect(table.has(String(code)), `${code}`).toBe(true);
  });
});
