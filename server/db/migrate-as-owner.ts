import type { Config } from '../config.js'
import { migrate, openDatabase, type Db } from './database.js'

/**
 * Migrates as the schema owner when MIGRATION_DATABASE_URL is set (the application's own role,
 * DATABASE_URL, then owns no table: it cannot alter, truncate or disable the audit's triggers);
 * else on the application's connection.
 */
export async function migrateAsOwner(db: Db, config: Pick<Config, 'databaseUrl' | 'migrationDatabaseUrl' | 'dataDir'>): Promise<void> {
  if (!config.databaseUrl || !config.migrationDatabaseUrl) return migrate(db)
  const owner = await openDatabase({ databaseUrl: config.migrationDatabaseUrl, dataDir: config.dataDir, poolSize: 1 })
  try {
    await migrate(owner)
  } finally {
    await owner.destroy()
  }
}
