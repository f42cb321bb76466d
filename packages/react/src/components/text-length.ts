/**
 * The length of `text` in code points, as the server counts it (an emoji is one). Below half
 * of `limit` UTF-16 units it returns the units: code points never outnumber them, and short
 * texts (most) skip the count.
 */
export function textLength(text: string, limit: number): number {
  return text.length <= limit / 2 ? text.length : Array.from(text).length;
}
