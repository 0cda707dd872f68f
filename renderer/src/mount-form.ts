// The Mount view's form, apart from its components: whether a path template is one, and whether (and
// why not) the library can be mounted now. Pure: no DOM, no React.
import { Template, TemplateError } from '../../app/shared/template.ts';
import type { InputProblem } from './input-problem.ts';

/** What is wrong with a typed path template, where; undefined when it is one. */
export function checkTemplate(text: string): InputProblem | undefined {
  if (text.trim() === '') return { message: 'a template is needed', start: 0, length: 1 };
  try {
    new Template(text);
    return undefined;
  } catch (err) {
    if (err instanceof TemplateError) return { message: err.message, start: err.position, length: 1 };
    throw err;
  }
}

export interface MountForm {
  readonly busy: boolean;
  /** Why mounting is not possible on this machine, if it is not. */
  readonly unavailable: string | null | undefined;
  readonly mountpoint: string;
  /** The template typed is not one, or the backend refused it for the preview. */
  readonly templateInvalid: boolean;
}

/** Why the Mount button cannot mount now, in words (its tooltip); undefined when it can. */
export function mountRefusal(f: MountForm): string | undefined {
  if (f.unavailable) return `Mounting is not available here: ${f.unavailable}`;
  if (f.templateInvalid) return 'Fix the path template first';
  if (f.mountpoint.trim() === '') return 'Type a mount point first';
  if (f.busy) return 'Another mount action is under way';
  return undefined;
}
