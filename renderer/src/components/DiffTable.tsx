// Fields before → after, one row each: how every edit that is shown before it is made (a proposal, a tool's
// preview) lays out its changes.

interface Change {
  readonly key: string;
  readonly before: readonly string[];
  readonly after: readonly string[];
}

const shown = (values: readonly string[]) => (values.length === 0 ? '—' : values.join('; '));
const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

export function DiffTable({ changes }: { changes: readonly Change[] }) {
  return (
    <table className="diff">
      <tbody>
        {changes.map((c) => (
          <tr key={c.key}>
            <th scope="row">{c.key}</th>
            <td className="before">{shown(c.before)}</td>
            <td className="arrow">→</td>
            {/* A proposal keeping the user's credits may leave a field as it is. */}
            <td className="after">{same(c.before, c.after) ? 'as it is' : shown(c.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
