import { z } from 'zod'

/** Backups this server writes; restore reads this format and older ones. */
export const BACKUP_FORMAT_VERSION = 1

/**
 * A path inside a backup: relative, `/`-separated, with no `..`, `.` or empty
 * segment, so a tampered manifest can never make restore write outside the
 * new data directory.
 */
const BackupPath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => p.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && !s.includes('\\') && !s.includes('\0')), 'not a plain relative path')

export const BackupFile = z.object({
  path: BackupPath,
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/)
})
export type BackupFile = z.infer<typeof BackupFile>

/** manifest.json, written last in a backup: a backup without it is not one. */
export const BackupManifest = z.object({
  format: z.literal('messenger-backup'),
  formatVersion: z.number().int().positive(),
  serverVersion: z.string(),
  engine: z.literal('data-dir'),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  /** Pid of the server that held the data directory during the backup, null if none ran. */
  serverPid: z.number().int().positive().nullable(),
  files: z.array(BackupFile)
})
export type BackupManifest = z.infer<typeof BackupManifest>
