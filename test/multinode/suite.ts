// The life of a multinode test file's cluster, written once: started before
// the file's tests and handed to `use`; after them the pool's sockets are
// closed and the cluster, any child servers and the private Redis stopped.
import { afterAll, beforeAll } from 'vitest'
import { killChildServers } from '../helpers/child-server'
import { startCluster, type Cluster, type ClusterOptions } from '../helpers/cluster'
import { killPrivateRedis } from '../helpers/redis'
import { SocketPool } from '../helpers/socket'

/** Registers the file's beforeAll/afterAll; answers the pool its sockets go in. */
export function clusterSuite(options: ClusterOptions, use: (cluster: Cluster) => void): SocketPool {
  const pool = new SocketPool()
  let cluster: Cluster | undefined
  beforeAll(async () => {
    cluster = await startCluster(options)
    use(cluster)
  })
  afterAll(async () => {
    pool.closeAll()
    await cluster?.destroy()
    killChildServers()
    killPrivateRedis()
  })
  return pool
}
