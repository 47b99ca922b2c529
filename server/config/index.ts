import 'server-only';
import { loadConfig } from './load';

export type { Config } from './load';

/** The checked server configuration, read once per process. */
export const config = loadConfig(process.env);
