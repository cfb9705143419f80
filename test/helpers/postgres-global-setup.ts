// Once per run of a -pg project (vitest globalSetup, in the main process):
// PostgreSQL must answer before any test file starts. Throws under CI=true
// without MESSENGER_TEST_DATABASE_URL, and when the server cannot be reached;
// without the variable elsewhere it prints the one line saying how to enable
// the runs (the config has those projects skip every test then).
import { postgresAvailability } from './engines'

export default async function setup(): Promise<void> {
  await postgresAvailability()
}
