// Set up before every test file of the -pg projects (vitest setupFiles): the
// databases a file's servers were given are dropped when the file ends, also
// those of servers it stopped without destroying (afterAll hooks run in
// reverse order, so this one runs after the file's own).
import { afterAll } from 'vitest'
import { dropCreatedDatabases } from './engines'

afterAll(dropCreatedDatabases)
