// The RPC contract's wire: requests carry a client-chosen id; every response echoes it.
import { z } from 'zod';
import { USER_ERROR_CODES } from '../../../kit/user-error.ts';
import { Count } from './blocks.ts';

export const ERROR_CODES = [...USER_ERROR_CODES, 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const RpcErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** For a query syntax error: where in the query text (0-based) and how long, and what may stand there
   *  instead (a mistyped field's closest names). */
  position: z
    .object({
      start: Count,
      length: z.number().int().positive(),
      replacements: z.array(z.string().max(200)).max(3).readonly().optional(),
    })
    .optional(),
});
export type RpcErrorBody = z.infer<typeof RpcErrorSchema>;

export const RequestSchema = z
  .object({ id: z.number().int().nonnegative(), method: z.string().max(100), params: z.unknown() })
  .strict();

export const ServerMessageSchema = z.union([
  z.object({ id: z.number(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number(), ok: z.literal(false), error: RpcErrorSchema }),
  z.object({ event: z.string(), data: z.unknown() }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

/** Readable one-line reasons from a zod error: "params.changes[0].key: too short". */
export function describeIssues(error: z.ZodError, prefix: string): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${[prefix, ...i.path.map(String)].join('.')}: ${i.message}`)
    .join('; ');
}
