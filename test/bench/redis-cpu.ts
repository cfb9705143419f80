// The CPU a private redis-server has used, from its own INFO (used_cpu_sys +
// used_cpu_user: all its threads), for benchmarks of several nodes: Redis is
// a process of its own, so no node's process.cpuUsage() sees it.
import { Redis } from 'ioredis'

export class RedisCpu {
  private constructor(private readonly client: Redis) {}

  static async open(url: string): Promise<RedisCpu> {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectionName: 'bench-cpu' })
    client.on('error', () => undefined)
    await client.connect()
    return new RedisCpu(client)
  }

  /** CPU microseconds used since Redis started. */
  async sample(): Promise<number> {
    const info = await this.client.info('cpu')
    const field = (name: string): number => {
      const match = new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)
      if (!match) throw new Error(`redis INFO cpu has no ${name}`)
      return Number(match[1]) * 1e6
    }
    return field('used_cpu_sys') + field('used_cpu_user')
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => undefined)
  }
}
