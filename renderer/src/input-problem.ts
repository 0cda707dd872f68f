// What is wrong with a line typed into a checked input (CheckedInput): the words, and the characters
// they are about, which the input underlines; and what may stand there instead, offered as fixes.
import { RpcCallError } from './rpc-client.ts';

export interface InputProblem {
  readonly message: string;
  readonly start: number;
  readonly length: number;
  /** What may replace the marked characters (a mistyped field's closest names), closest first. */
  readonly replacements?: readonly string[];
}

/** A refusal of the backend's that says where in the text it is (an unknown field); undefined for any
 *  other failure. */
export function remoteProblem(err: unknown): InputProblem | undefined {
  return err instanceof RpcCallError && err.position ? { message: err.message, ...err.position } : undefined;
}

/** The text with the problem's characters replaced: each of its fixes, in full. */
export function fixesOf(text: string, problem: InputProblem): string[] {
  const end = problem.start + problem.length;
  return (problem.replacements ?? []).map((r) => text.slice(0, problem.start) + r + text.slice(end));
}
