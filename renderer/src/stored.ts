// A setting remembered in localStorage as JSON, read back only if it still has the shape expected (a value
// left by an older version, or edited by hand, falls back to the default).
export function readStored<T>(key: string, valid: (v: unknown) => v is T, fallback: T): T {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
    return valid(v) ? v : fallback;
  } catch {
    return fallback;
  }
}
