// Emails password reset codes when the server has SMTP settings (nodemailer).
import { createTransport } from 'nodemailer'

export interface SmtpOptions {
  /** A nodemailer connection URL: smtp://user:pass@host:587 or smtps://…:465. */
  url: string
  /** The From: address, e.g. "Office messenger <messenger@example.com>". */
  from: string
}

export interface Mailer {
  send(to: string, subject: string, text: string): Promise<void>
}

export function createSmtpMailer({ url, from }: SmtpOptions): Mailer {
  const transport = createTransport(url)
  return {
    send: async (to, subject, text) => {
      await transport.sendMail({ from, to, subject, text })
    }
  }
}
