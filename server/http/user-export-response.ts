// Streams an admin's export of one user as the response: the zip is made
// while it is sent, so its size is unknown (chunked), and a failure midway
// cuts the response rather than end it as if the zip were whole.
import type { Request, Response } from 'express'
import { contentDisposition } from '../../src/shared/content-disposition'
import type { Services } from '../services'
import { writeUserExport } from '../services/user-export'
import type { UserRecord } from '../store/records'

export async function sendUserExport(services: Services, user: UserRecord, req: Request, res: Response): Promise<void> {
  const stop = new AbortController()
  // The admin went away: stop reading history and files for nobody.
  const onClose = (): void => stop.abort()
  res.once('close', onClose)
  res.status(200)
  res.setHeader('Content-Type', 'application/zip')
  res.setHeader('Content-Disposition', contentDisposition('attachment', `${user.username}-export.zip`))
  res.setHeader('Cache-Control', 'no-store')
  try {
    const serverUrl = `${req.protocol}://${req.get('host') ?? 'localhost'}`
    await writeUserExport({ store: services.store, filePath: (id) => services.files.path({ id }), serverUrl }, user, res, stop.signal)
    res.end()
  } catch (err) {
    // Gone admin: nothing to tell. Otherwise Express's handler cuts the started response and logs why.
    if (!stop.signal.aborted) throw err
  } finally {
    res.off('close', onClose)
  }
}
