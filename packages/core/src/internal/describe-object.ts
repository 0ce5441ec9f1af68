/** A short description of an object for messages: its constructor name. Never throws, even on a hostile object. */
export function describeObject(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object' && typeof value !== 'function') return typeof value;
  try {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name.length > 0 ? `a ${name}` : 'an object';
  } catch {
    return 'an object';
  }
}
