// A tool, or a sequence of them, in words: for the history ("Replace "feat." with "ft." in title"), the
// CLI's lists and the app's Tools panel alike.
import type { TagToolParams as TagTool } from './rpc/tools.ts';

/** The edit in words, for the history ("Replace "feat." with "ft." in title"). */
export function describeTool(tool: TagTool): string {
  const fields = (fs: readonly string[] | undefined) =>
    fs && fs.length > 0 ? fs.join(', ') : 'every text field';
  switch (tool.kind) {
    case 'replace':
      return `Replace ${tool.regex ? 'the pattern ' : ''}"${tool.find}" with "${tool.replace}" in ${fields(tool.fields)}`;
    case 'case':
      return `${tool.mode === 'title' ? 'Title' : tool.mode === 'sentence' ? 'Sentence' : tool.mode === 'upper' ? 'Upper' : 'Lower'} case for ${fields(tool.fields)}`;
    case 'from-path':
      return `Tags from file names (${tool.pattern})`;
    case 'number':
      return `Number the tracks${tool.perDisc ? ' per disc' : ''}${tool.totals ? ', with totals' : ''}`;
    case 'copy':
      return `Copy ${tool.from} to ${tool.to}`;
    case 'swap':
      return `Swap ${tool.a} and ${tool.b}`;
    case 'trim':
      return `Trim spaces in ${fields(tool.fields)}`;
    case 'split':
      return `Split ${tool.field} at "${tool.separator}"`;
    case 'join':
      return `Join the values of ${tool.field} with "${tool.separator}"`;
    case 'script':
      return `Run the script ${tool.script.length > 60 ? `${tool.script.slice(0, 57)}…` : tool.script}`;
  }
}

/** Steps in words: a saved action by its name, else each step's words. */
export function describeSteps(steps: readonly TagTool[], action?: string): string {
  if (action !== undefined)
    return `The action "${action}" (${steps.length} step${steps.length === 1 ? '' : 's'})`;
  return steps.map(describeTool).join(', then ');
}
