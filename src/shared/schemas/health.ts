import { z } from 'zod'

export const HealthResponse = z.object({
  ok: z.literal(true),
  version: z.string(),
  /** What the server calls itself (shown in discovery and on the host). Servers before TLS left it out. */
  name: z.string().optional(),
  /** Served over HTTPS with its own certificate, and that certificate's SHA-256 fingerprint. */
  tls: z.boolean().optional(),
  fingerprint: z.string().nullable().optional()
})
export type HealthResponse = z.infer<typeof HealthResponse>
