// Whether this installation checks for updates. Administrators turn checks
// off with an environment variable or a machine-wide policy file, as they do
// for Mattermost; development builds and builds without a feed never check.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'

export const DISABLE_UPDATES_ENV = 'MESSENGER_DISABLE_UPDATES'
export const POLICY_FILE_ENV = 'MESSENGER_POLICY_FILE'

export const PolicyFile = z.object({
  /** true: this machine never checks for updates. */
  disableUpdates: z.boolean().optional()
})

export type UpdatePolicy = { enabled: true } | { enabled: false; reason: string }

/** Where an administrator puts policy.json on each system (MESSENGER_POLICY_FILE overrides it). */
export function policyFilePath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  const override = env[POLICY_FILE_ENV]
  if (override) return override
  if (platform === 'win32') return join(env['ProgramData'] ?? 'C:\\ProgramData', 'LAN Messenger', 'policy.json')
  if (platform === 'darwin') return '/Library/Application Support/LAN Messenger/policy.json'
  return '/etc/lan-messenger/policy.json'
}

export interface PolicyInput {
  env: NodeJS.ProcessEnv
  isPackaged: boolean
  /** The feed electron-builder wrote into app-update.yml at build time, if any. */
  hasFeed: boolean
  /** The policy file's text, null when there is none. */
  policyText: string | null
}

export function decideUpdatePolicy(input: PolicyInput): UpdatePolicy {
  const flag = input.env[DISABLE_UPDATES_ENV]
  if (flag && !/^(0|false|no|off)$/i.test(flag.trim())) return { enabled: false, reason: `${DISABLE_UPDATES_ENV} is set` }
  if (input.policyText !== null) {
    let parsed: z.infer<typeof PolicyFile>
    try {
      parsed = PolicyFile.parse(JSON.parse(input.policyText))
    } catch {
      // An administrator wrote a policy: when it cannot be read, do the cautious thing.
      return { enabled: false, reason: 'the policy file is not valid JSON of the expected shape' }
    }
    if (parsed.disableUpdates) return { enabled: false, reason: 'turned off by the policy file' }
  }
  if (!input.isPackaged) return { enabled: false, reason: 'a development build' }
  if (!input.hasFeed) return { enabled: false, reason: 'no update feed was set at build time' }
  return { enabled: true }
}

/** Reads the policy file if there is one. */
export async function readPolicyText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    return '<unreadable>'
  }
}
