// A performer credit as the library keeps it, "Name (role)" (Vorbis comments' form; ID3's TMCL pairs are
// read into it): its name, and its role when it has one.
export function performerParts(value: string): { name: string; role: string | null } {
  const m = value.match(/^(.*\S)\s*\(([^()]*)\)$/);
  return m ? { name: m[1]!, role: m[2]!.trim() || null } : { name: value, role: null };
}
