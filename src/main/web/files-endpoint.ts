// Files between the browser page and the core, for the Node host: the page
// has no file paths, so it sends a picked, dropped or pasted file's bytes
// here to be staged, and gets finished downloads back from here. Only a
// page that knows the per-launch secret may do either.
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Router, type Request, type Response } from 'express'
import { toErrorBody } from '../core/errors'
import type { ClientCore } from '../core/client'
import type { Logger } from '../core/logger'
import { contentDisposition } from '../../shared/content-disposition'

export const STAGE_PATH = '/files/stage'
export const SAVED_PATH = '/files/saved'
export const EXPORT_PATH = '/files/export'

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ ok: false, error: { code, message } })
}

export function filesEndpoint(core: ClientCore, allowed: (req: Request, given: string) => boolean, log: Logger): Router {
  const router = Router()
  router.post(STAGE_PATH, async (req, res) => {
    if (!allowed(req, req.get('x-messenger-secret') ?? '')) return fail(res, 403, 'forbidden', 'this page may not send files to the app')
    const name = typeof req.query['name'] === 'string' ? req.query['name'] : ''
    const type = typeof req.query['type'] === 'string' ? req.query['type'] : undefined
    try {
      const staged = await core.ctx().transfers.staging.stageStream(req, name, type)
      res.json({ ok: true, data: staged })
    } catch (err) {
      log.warn('staging a file failed', { err })
      const error = toErrorBody(err)
      fail(res, 400, error.code, error.message)
    }
  })
  router.get(`${SAVED_PATH}/:id`, async (req, res) => {
    if (!allowed(req, typeof req.query['secret'] === 'string' ? req.query['secret'] : '')) return fail(res, 403, 'forbidden', 'this page may not read files')
    try {
      const transfers = core.ctx().transfers
      const path = transfers.savedPath(req.params.id)
      const record = transfers.get(req.params.id)
      res.setHeader('Content-Type', 'application/octet-stream')
      res.setHeader('Content-Disposition', contentDisposition('attachment', record.name))
      await pipeline(createReadStream(path), res)
    } catch (err) {
      if (res.headersSent) return void res.destroy()
      const error = toErrorBody(err)
      fail(res, 404, error.code, error.message)
    }
  })
  // A finished history export (the browser has no save dialog: it downloads the file from here).
  router.get(`${EXPORT_PATH}/:id`, async (req, res) => {
    if (!allowed(req, typeof req.query['secret'] === 'string' ? req.query['secret'] : '')) return fail(res, 403, 'forbidden', 'this page may not read files')
    try {
      const path = core.exports.finishedPath(req.params.id)
      res.setHeader('Content-Type', path.endsWith('.html') ? 'application/octet-stream' : 'application/zip')
      res.setHeader('Content-Disposition', contentDisposition('attachment', basename(path)))
      await pipeline(createReadStream(path), res)
    } catch (err) {
      if (res.headersSent) return void res.destroy()
      const error = toErrorBody(err)
      fail(res, 404, error.code, error.message)
    }
  })
  return router
}
