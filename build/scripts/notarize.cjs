// electron-builder afterSign hook: notarizes the macOS app with Apple when
// credentials are in the environment, and says clearly that it skipped
// otherwise (local builds, forks, CI without secrets).
//   Apple ID:  APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID
//   API key:   APPLE_API_KEY (path to the .p8), APPLE_API_KEY_ID, APPLE_API_ISSUER
// eslint-disable-next-line @typescript-eslint/no-require-imports -- electron-builder loads hooks as CommonJS
const { join } = require('node:path')

/** The notarize options the environment allows, or null with the reason. */
function notarizeCredentials(env) {
  if (env.APPLE_API_KEY && env.APPLE_API_KEY_ID && env.APPLE_API_ISSUER) {
    return { options: { appleApiKey: env.APPLE_API_KEY, appleApiKeyId: env.APPLE_API_KEY_ID, appleApiIssuer: env.APPLE_API_ISSUER } }
  }
  if (env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD && env.APPLE_TEAM_ID) {
    return { options: { appleId: env.APPLE_ID, appleIdPassword: env.APPLE_APP_SPECIFIC_PASSWORD, teamId: env.APPLE_TEAM_ID } }
  }
  return { skip: 'no Apple credentials in the environment (APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID or APPLE_API_KEY, APPLE_API_KEY_ID, APPLE_API_ISSUER)' }
}

async function afterSign(context) {
  if (context.electronPlatformName !== 'darwin') return
  const found = notarizeCredentials(process.env)
  if (found.skip) {
    process.stdout.write(`  • notarization skipped: ${found.skip}\n`)
    return
  }
  const { notarize } = await import('@electron/notarize')
  const appPath = join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`)
  process.stdout.write(`  • notarizing ${appPath}\n`)
  await notarize({ appPath, ...found.options })
}

module.exports = afterSign
module.exports.default = afterSign
module.exports.notarizeCredentials = notarizeCredentials
