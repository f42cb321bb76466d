/** `1.2 MB`-style sizes, in the reader's locale. */
export function fileSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toLocaleString(undefined, { maximumFractionDigits: digits })} ${units[unit]}`;
}

/** Whether a file matches an `accept` list: MIME types, `type/*` patterns or `.ext`. */
export function accepts(file: { name: string; type: string }, accepted?: readonly string[]) {
  if (accepted === undefined || accepted.length === 0) return true;
  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase();
  return accepted.some((rule) => {
    const r = rule.trim().toLowerCase();
    if (r.startsWith('.')) return name.endsWith(r);
    if (r.endsWith('/*')) return type.startsWith(r.slice(0, -1));
    return type === r;
  });
}

/** Why a file cannot be added, or null when it can. */
export function refusal(
  file: File,
  accepted: readonly string[] | undefined,
  maxFileSize: number | undefined,
): string | null {
  if (!accepts(file, accepted)) return `${file.name}: this type of file is not accepted`;
  if (maxFileSize !== undefined && file.size > maxFileSize) {
    return `${file.name} is larger than ${fileSize(maxFileSize)}`;
  }
  if (file.size === 0) return `${file.name} is empty`;
  return null;
}
