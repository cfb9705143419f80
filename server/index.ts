export { createMessengerServer, type MessengerServer, type MessengerServerOptions } from './server'
export { createLogger, silentLogger } from './logger'
