import { z } from 'zod'

// The v flag (Unicode sets) is newer than the compile target; the runtime has it.
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v')

/** A single emoji: a reaction, a custom status's. */
export const Emoji = z.string().max(32).refine((s) => RGI_EMOJI.test(s), 'must be a single emoji')
