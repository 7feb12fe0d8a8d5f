import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../config/settings';
import { ConfigError } from '../errors';

/** Creates `dir` and its parents, or throws ConfigError naming `variable` when a file is in the way. */
export async function ensureDirectory(dir: string, variable: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    throw new ConfigError(
      `${variable} is ${dir}, but that path or a folder above it is a file, so pendo-sync ` +
        `cannot create the folder. Set ${variable} to a folder path, or move the file away.`,
      { cause: error },
    );
  }
}

/**
 * Creates the local state folder (PENDO_SYNC_STATE_DIR) and the parent folder of the
 * embedded data directory, or throws ConfigError naming the setting when a file is in the way.
 */
export async function ensureStateDirectory(settings: Settings): Promise<void> {
  await ensureDirectory(settings.stateDir, 'PENDO_SYNC_STATE_DIR');
  const dataParent = path.dirname(settings.embeddedPostgresDir);
  const insideStateDir = !path.relative(settings.stateDir, dataParent).startsWith('..');
  await ensureDirectory(
    dataParent,
    insideStateDir ? 'PENDO_SYNC_STATE_DIR' : 'EMBEDDED_POSTGRES_DIR',
  );
}
