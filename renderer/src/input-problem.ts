// What is wrong with a line typed into a checked input (CheckedInput): the words, and the characters
// they are about, which the input underlines.
export interface InputProblem {
  readonly message: string;
  readonly start: number;
  readonly length: number;
}
