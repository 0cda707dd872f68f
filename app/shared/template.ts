// Output templates with beets-like `$field` / `${field}` references. Pure; multi-values join with ", ".

export type FieldLookup = (field: string) => string | readonly string[] | null | undefined;

const REF = /\$\{([A-Za-z_][A-Za-z0-9_:]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$\$/g;

export function renderTemplate(template: string, lookup: FieldLookup): string {
  return template.replace(REF, (whole, braced: string | undefined, bare: string | undefined) => {
    if (whole === '$$') return '$';
    const v = lookup((braced ?? bare)!);
    if (v === null || v === undefined) return '';
    return typeof v === 'string' ? v : v.join(', ');
  });
}
