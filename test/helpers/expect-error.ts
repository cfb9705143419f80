// A REST refusal as a client sees it: this status, this code, and a message
// that names the problem (not an empty or one-word one).
import { expect } from 'vitest'
import type { ApiResponse } from './http'

export function expectError(res: ApiResponse, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status)
  expect(res.body.error.code).toBe(code)
  expect(res.body.error.message.length).toBeGreaterThan(10)
}
