// A count with its noun, singular or plural: "1 track", "1,204 tracks". In edit descriptions (kept in the
// history), notices and views alike.

export function formatCount(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
