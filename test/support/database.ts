import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** The PostgreSQL server the tests use: DATABASE_URL, else the local server on 127.0.0.1:5432. */
export function adminDatabaseUrl(): string {
  return process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres'
}

/** Creates a fresh, empty database on that server for one test file; returns its URL and a dropper. */
export async function createTestDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `kpi_${label.replace(/[^A-Za-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`.toLowerCase() // a label may hold '-' (unit-eval)
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(adminDatabaseUrl())
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminDatabaseUrl() })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}
