// A minimal SMTP server on loopback that keeps every mail it is given, so the
// reset-code email goes through nodemailer and a real socket in tests.
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export interface ReceivedMail {
  from: string
  to: string[]
  data: string
}

export interface TestSmtp {
  url: string
  mails: ReceivedMail[]
  /** Resolves with the next mail (or one already received and not yet taken). */
  next(): Promise<ReceivedMail>
  close(): Promise<void>
}

export async function startSmtp(): Promise<TestSmtp> {
  const mails: ReceivedMail[] = []
  let taken = 0
  const waiters: ((mail: ReceivedMail) => void)[] = []
  const sockets = new Set<Socket>()
  const deliver = (mail: ReceivedMail): void => {
    mails.push(mail)
    const waiter = waiters.shift()
    if (waiter) {
      taken++
      waiter(mail)
    }
  }
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.setEncoding('utf8')
    let buffer = ''
    let mail: ReceivedMail = { from: '', to: [], data: '' }
    let inData = false
    const reply = (line: string): void => void socket.write(`${line}\r\n`)
    reply('220 test-smtp ready')
    socket.on('data', (chunk: string) => {
      buffer += chunk
      let end: number
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        if (inData) {
          if (line === '.') {
            inData = false
            deliver(mail)
            mail = { from: '', to: [], data: '' }
            reply('250 queued')
          } else mail.data += `${line.startsWith('..') ? line.slice(1) : line}\n`
          continue
        }
        const verb = line.slice(0, 4).toUpperCase()
        if (verb === 'MAIL') mail.from = line.slice(10).trim()
        if (verb === 'RCPT') mail.to.push(line.slice(8).trim())
        if (verb === 'DATA') inData = true
        reply(verb === 'DATA' ? '354 go ahead' : verb === 'QUIT' ? '221 bye' : verb === 'EHLO' || verb === 'HELO' ? '250 test-smtp' : '250 ok')
        if (verb === 'QUIT') socket.end()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    mails,
    next: () => {
      const ready = mails[taken]
      if (ready) {
        taken++
        return Promise.resolve(ready)
      }
      return new Promise((resolve) => waiters.push(resolve))
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}
