export type { Config, LoadConfigOptions } from './config/load-config.js';
export { loadConfig } from './config/load-config.js';
export { ConfigError, TesseraError } from './errors.js';
export type { CreateServerOptions, TesseraServer } from './server.js';
export { createTesseraServer } from './server.js';
export { openStorage } from './storage/open.js';
export type { Storage } from './storage/port.js';
