// A named import: the bundle (out/server/cli.mjs) then carries the version, not all of package.json.
import { version } from '../package.json'

export const SERVER_VERSION: string = version
