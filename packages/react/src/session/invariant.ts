/** Turns a missing context into an error that names the component to add. */
export function invariantContext<T>(value: T | null, provider: string): T {
  if (value === null) throw new Error(`@parley/react: wrap this component in <${provider}>`);
  return value;
}
