import { z } from 'zod';

/** The name of a configured load target (what the load action's body may carry instead of an address). */
export const loadTargetName = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a load target name (lowercase letters, digits and "-")');

const hostHeader = z
  .string()
  .max(253)
  .regex(/^[a-zA-Z0-9.-]+(?::[0-9]{1,5})?$/, 'must be a host name, optionally with :port');

/** Where load Jobs may send traffic: chosen by an operator by name, the address is the administrator's. */
export const loadTargetSchema = z
  .object({
    name: loadTargetName,
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    /** The Host header the load sends (the VirtualService's host); omitted: the URL's own host. */
    host: hostHeader.optional(),
  })
  .strict();

export const loadTargetsSchema = z
  .array(loadTargetSchema)
  .min(1, 'list at least one target (or leave loadTargets out for the default gateway)')
  .refine((t) => new Set(t.map((x) => x.name)).size === t.length, 'load target names must be unique');

export type LoadTarget = z.infer<typeof loadTargetSchema>;
